package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.report.Redactor;
import dev.neonbackup.testing.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The exact drill's comparison against a real PostgreSQL: equal data compares equal however its
 * columns are ordered, a role's time limit does not stop it, and a policy that hides rows from the
 * role is an error, never a smaller count.
 */
class TableCountsIT {
  private final PostgresServer server = PostgresServer.shared();
  private final PgInstallation psql = newestClient();

  private static PgInstallation newestClient() {
    List<PgInstallation> installed = PgClients.discover(Optional.empty(), PgClients.DEBIAN_ROOT);
    return installed.get(installed.size() - 1);
  }

  private ConnectionString as(String role, String password, String database) {
    return ConnectionString.parse(
        "postgresql://" + role + ":" + password + "@" + server.host() + ":" + server.port() + "/" + database
            + "?sslmode=disable",
        "database-url");
  }

  private Map<String, TableCounts.Rows> checksums(String database) {
    return TableCounts.withChecksums(
        psql, ConnectionString.parse(server.url(database) + "?sslmode=disable", "database-url"), Redactor.none());
  }

  /** pg_dump writes an inheriting child's own columns first: restored, a column added later moves. */
  @Test
  void the_same_rows_with_their_columns_in_another_order_compare_equal() {
    String dumped = server.createUniqueDatabase("order_a");
    server.execute(
        dumped,
        "CREATE TABLE parent (p1 int); CREATE TABLE child (c1 text) INHERITS (parent);"
            + " ALTER TABLE parent ADD p2 int; INSERT INTO child (p1, c1, p2) VALUES (1, 'x', 2), (1, 'x', 2);"
            + " CREATE TABLE parted (id int, v text) PARTITION BY RANGE (id);"
            + " CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);"
            + " INSERT INTO parted VALUES (1, 'a'), (2, 'b')");
    String restored = server.createUniqueDatabase("order_b");
    server.execute(
        restored,
        "CREATE TABLE parent (p1 int, p2 int); CREATE TABLE child (c1 text) INHERITS (parent);"
            + " INSERT INTO child (p1, c1, p2) VALUES (1, 'x', 2), (1, 'x', 2);"
            + " CREATE TABLE parted (id int, v text) PARTITION BY RANGE (id);"
            + " CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);"
            + " INSERT INTO parted VALUES (2, 'b'), (1, 'a')");
    Map<String, TableCounts.Rows> before = checksums(dumped);
    assertEquals(before, checksums(restored));
    assertEquals(2, before.get("public.child").count());
    assertEquals(0, before.get("public.parent").count(), "a parent's own rows, its children's once");
    assertEquals(0, before.get("public.parted").count());
    assertEquals(2, before.get("public.parted_1").count());

    server.execute(restored, "UPDATE child SET c1 = 'y' WHERE ctid = (SELECT min(ctid) FROM child)");
    assertNotEquals(before.get("public.child"), checksums(restored).get("public.child"));
  }

  /** A sequence's value and the large objects are compared too: an archive without them differs. */
  @Test
  void sequences_and_large_objects_are_compared() {
    String dumped = server.createUniqueDatabase("seq_a");
    server.execute(
        dumped,
        "CREATE SEQUENCE s; SELECT setval('s', 1000); CREATE TABLE docs (body oid);"
            + " INSERT INTO docs SELECT lo_from_bytea(4242, '\\x0102')");
    String restored = server.createUniqueDatabase("seq_b");
    server.execute(
        restored,
        "CREATE SEQUENCE s; SELECT setval('s', 1000); CREATE TABLE docs (body oid);"
            + " INSERT INTO docs SELECT lo_from_bytea(4242, '\\x0102')");
    Map<String, TableCounts.Rows> before = checksums(dumped);
    assertEquals(before, checksums(restored));
    assertEquals(1, before.get("large objects").count());
    assertTrue(before.containsKey("sequence public.s"), before.toString());

    server.execute(restored, "SELECT setval('s', 1); SELECT lo_put(4242, 0, '\\x09')");
    Map<String, TableCounts.Rows> after = checksums(restored);
    assertNotEquals(before.get("sequence public.s"), after.get("sequence public.s"));
    assertNotEquals(before.get("large objects"), after.get("large objects"));
    server.execute(restored, "SELECT lo_unlink(4242)");
    assertEquals(null, checksums(restored).get("large objects"), "none left: no row, so the other side's differs");
  }

  @Test
  void a_roles_statement_time_limit_does_not_stop_the_comparison_and_hidden_rows_are_an_error() {
    String database = server.createUniqueDatabase("limits");
    String role = "drill_" + Long.toHexString(System.nanoTime());
    server.execute(
        database,
        "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 300000) g;"
            + " CREATE ROLE " + role + " LOGIN PASSWORD 'pw' NOSUPERUSER NOBYPASSRLS;"
            + " GRANT SELECT ON big TO " + role + ";"
            + " ALTER ROLE " + role + " SET statement_timeout = '20ms';"
            + " ALTER ROLE " + role + " SET row_security = on");
    ConnectionString limited = as(role, "pw", database);
    Map<String, TableCounts.Rows> rows = TableCounts.withChecksums(psql, limited, Redactor.none());
    assertEquals(300000, rows.get("public.big").count());
    assertEquals(300000L, TableCounts.of(psql, limited, Redactor.none()).get("public.big"));

    server.execute(
        database,
        "CREATE TABLE secrets (tenant text); INSERT INTO secrets VALUES ('a'), ('b'), ('c');"
            + " ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;"
            + " CREATE POLICY only_a ON secrets USING (tenant = 'a');"
            + " GRANT SELECT ON secrets TO " + role);
    FailureException hidden =
        assertThrows(FailureException.class, () -> TableCounts.withChecksums(psql, limited, Redactor.none()));
    assertTrue(hidden.getMessage().contains("row-level security"), hidden.getMessage());
    assertThrows(FailureException.class, () -> TableCounts.of(psql, limited, Redactor.none()));
  }
}
