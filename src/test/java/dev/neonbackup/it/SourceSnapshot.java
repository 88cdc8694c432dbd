package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import java.util.Map;

/**
 * What a source database holds before a run that must not touch it: every table's rows, and a
 * schema that the dump leaves out (a drill that emptied the source would have dropped it, and a
 * restore could not bring it back). Also checks that no same-database marker schema stayed behind.
 */
record SourceSnapshot(PostgresServer server, String database, Map<String, String> tables) {
  /** Left out of the dump with {@code --exclude-schema}; only the source ever has it. */
  static final String EXCLUDED_SCHEMA = "kept_out_of_the_dump";

  static final String MARKERS =
      "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'neon\\_backup\\_marker\\_%'";

  /** Adds the excluded schema with a table to {@code database}, then takes the snapshot. */
  static SourceSnapshot prepare(PostgresServer server, String database) {
    server.execute(
        database,
        "CREATE SCHEMA " + EXCLUDED_SCHEMA + "; CREATE TABLE " + EXCLUDED_SCHEMA
            + ".notes (body text); INSERT INTO " + EXCLUDED_SCHEMA + ".notes VALUES ('x'), ('y');");
    return new SourceSnapshot(server, database, PgTools.tableFingerprints(server, database));
  }

  void assertIntact() {
    assertEquals(tables, PgTools.tableFingerprints(server, database), "the source's rows");
    assertNoMarkerIn(server, database);
  }

  static void assertNoMarkerIn(PostgresServer server, String database) {
    assertEquals("0", PgTools.queryString(server, database, MARKERS), "marker schemas in " + database);
  }
}
