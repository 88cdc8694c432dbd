package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.NeonApiStandIn;
import dev.neonbackup.testing.NeonBranch;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.RunningProgram;
import dev.neonbackup.testing.S3Server;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact restore drill ({@code restore-check-branch}) against the stand-in of the Neon API whose
 * branches are real PostgreSQL clusters: a good archive passes, table by table, with checksums;
 * one row changed in the snapshot after the dump fails the run naming its table; production is
 * never touched.
 */
class NeonExactDrillIT {
  private static final String DRILL_DATABASES =
      "SELECT count(*) FROM pg_database WHERE datname LIKE 'neon\\_backup\\_drill\\_%'";

  private static NeonApiStandIn neon;
  private static S3Server s3;

  @BeforeAll
  static void startServers() {
    neon = NeonApiStandIn.start();
    s3 = S3Server.shared();
    PostgresServer main = neon.mainBranch().server();
    main.execute(
        "neondb",
        "CREATE TABLE notes (id int PRIMARY KEY, body text);"
            + " INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 500) g;"
            // Values whose text depends on the session, a column named like a row alias, equal
            // rows, nulls and an empty table.
            + " CREATE SCHEMA \"Sales Data\";"
            + " CREATE TABLE \"Sales Data\".\"Öffnungszeiten\" (t int, at timestamptz, d date,"
            + " f float8, b bytea, i interval, j jsonb, m money);"
            + " INSERT INTO \"Sales Data\".\"Öffnungszeiten\" VALUES"
            + " (1, '2026-11-30 12:00:00+00', '2026-11-30', 0.1, '\\x00ff', '1 day 2 hours', '{\"a\": [1, 2]}', 12.5),"
            + " (1, '2026-11-30 12:00:00+00', '2026-11-30', 0.1, '\\x00ff', '1 day 2 hours', '{\"a\": [1, 2]}', 12.5),"
            + " (NULL, NULL, NULL, 'NaN', NULL, NULL, NULL, NULL);"
            + " CREATE TABLE empty_one (id int);"
            + " CREATE TABLE docs (id serial PRIMARY KEY, body oid);"
            + " INSERT INTO docs (body) SELECT lo_from_bytea(0, convert_to('page ' || g, 'UTF8'))"
            + " FROM generate_series(1, 3) g;"
            + " ALTER DATABASE neondb SET TimeZone = 'Asia/Tokyo';"
            + " ALTER DATABASE neondb SET DateStyle = 'SQL, DMY';"
            + " ALTER DATABASE neondb SET extra_float_digits = -3;"
            + " ALTER DATABASE neondb SET bytea_output = 'escape';"
            + " ALTER DATABASE neondb SET IntervalStyle = 'sql_standard';"
            + " ALTER ROLE neondb_owner IN DATABASE neondb SET TimeZone = 'America/St_Johns'");
  }

  @AfterAll
  static void stopServers() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void a_good_archive_passes_every_table_by_rows_and_checksum_and_production_is_untouched() {
    String before = PgTools.tableFingerprints(neon.mainBranch().server(), "neondb").toString();
    ProgramRun.Result run = backup(s3.createBucket()).env("GITHUB_ACTIONS", "true").run();
    assertEquals(0, run.exitCode(), run::describe);
    assertEquals("passed", run.outputs().get("restore-check"), run::describe);
    String summary = run.stepSummary();
    assertTrue(summary.contains("#### Restore drill (exact, in the temporary branch): passed"), summary);
    assertTrue(summary.contains("| `public.notes` | 500 | 500 | equal | ok |"), summary);
    assertTrue(
        summary.contains("| `\"Sales Data\".\"Öffnungszeiten\"` | 3 | 3 | equal | ok |"),
        "the session's own TimeZone, DateStyle, float digits, bytea and interval styles are not a"
            + " difference\n" + summary);
    assertTrue(summary.contains("| `public.empty_one` | 0 | 0 | equal | ok |"), summary);
    assertEquals(
        "0", PgTools.queryString(neon.mainBranch().server(), "postgres", DRILL_DATABASES),
        "no drill database on production");
    assertEquals(before, PgTools.tableFingerprints(neon.mainBranch().server(), "neondb").toString());
    assertEquals(1, neon.liveBranches().size(), "the temporary branch, with the drill's database, is gone");
    assertTrue(summary.contains("| `sequence public.docs_id_seq` | 1 | 1 | equal | ok |"), summary);
    assertTrue(summary.contains("| `large objects` | 3 | 3 | equal | ok |"), summary);
    assertTrue(
        run.stderr().contains("restore drill: 6 tables, sequences and large objects compared, all rows equal"),
        run::describe);
  }

  /**
   * A row of the snapshot database changed after the dump, with the same number of rows: only the
   * checksum can see it. The change is made, under a lock the drill's reading waits for, as soon as
   * the drill's database appears in the temporary branch, before the drill reads the snapshot.
   */
  @Test
  void one_changed_row_fails_the_run_with_exit_9_naming_its_table() throws Exception {
    int before = neon.allBranches().size();
    RunningProgram running = backup(s3.createBucket()).env("GITHUB_ACTIONS", "true").start();
    NeonBranch branch = awaitDrillDatabase(running, before);
    try (Connection snapshot = branch.server().connect("neondb")) {
      snapshot.setAutoCommit(false);
      try (Statement change = snapshot.createStatement()) {
        change.execute("LOCK TABLE notes IN ACCESS EXCLUSIVE MODE");
        change.execute("UPDATE notes SET body = 'changed' WHERE id = 250");
      }
      snapshot.commit();
    }
    ProgramRun.Result run = running.await(Duration.ofMinutes(3));
    assertEquals(9, run.exitCode(), run::describe);
    assertEquals("failed", run.outputs().get("restore-check"), run::describe);
    assertEquals(
        List.of(
            "::error title=Backup failed::the backup is stored at s3://"),
        run.annotations().stream().map(a -> a.substring(0, a.indexOf("s3://") + 5)).toList(),
        run::describe);
    assertTrue(
        run.annotations().get(0).endsWith("but the restore drill found different rows in public.notes"),
        run::describe);
    assertTrue(run.stepSummary().contains("| `public.notes` | 500 | 500 | differs | **differs** |"), run.stepSummary());
    assertTrue(run.stepSummary().contains("| `public.empty_one` | 0 | 0 | equal | ok |"), run.stepSummary());
    assertEquals(1, neon.liveBranches().size(), "the temporary branch is deleted after a failed drill too");
    assertEquals("note 250", PgTools.queryString(neon.mainBranch().server(), "neondb", "SELECT body FROM notes WHERE id = 250"));
  }

  /**
   * The drill creates a database in the branch: a role that may not is refused before anything is
   * dumped (exit 2), not found out after the backup. The role comes from database-url, as
   * snapshot: branch takes it onto the branch.
   */
  @Test
  void a_role_that_may_not_create_databases_is_refused_before_the_dump() {
    neon.mainBranch().server().execute(
        "neondb",
        "DO $r$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN"
            + " CREATE ROLE reader LOGIN PASSWORD 'reader-pw' NOCREATEDB; END IF; END $r$;"
            + " GRANT SELECT ON ALL TABLES IN SCHEMA public, \"Sales Data\" TO reader;"
            + " GRANT USAGE ON SCHEMA \"Sales Data\" TO reader");
    String bucket = s3.createBucket();
    String url =
        neon.mainBranch().endpoint().url("neondb", false)
            .replaceFirst("postgresql://[^@]+@", "postgresql://reader:reader-pw@");
    ProgramRun.Result run = backup(bucket).input("database-url", url).run();
    assertEquals(2, run.exitCode(), run::describe);
    assertTrue(
        run.errorLines().get(0).contains("restore-check-branch creates a database in the temporary"
            + " branch, but the role 'reader' may not create databases"),
        run::describe);
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing dumped or stored");
    assertEquals(1, neon.liveBranches().size(), "the temporary branch is deleted");
  }

  private static NeonBranch awaitDrillDatabase(RunningProgram running, int before) {
    NeonBranch[] found = new NeonBranch[1];
    running.awaitThat(
        "the drill's database in the temporary branch",
        Duration.ofSeconds(120),
        () -> {
          Optional<NeonBranch> branch = neon.allBranches().stream().skip(before).findFirst();
          if (branch.isEmpty() || branch.get().deleted()) {
            return false;
          }
          try {
            found[0] = branch.get();
            return !"0".equals(PgTools.queryString(branch.get().server(), "postgres", DRILL_DATABASES));
          } catch (RuntimeException e) {
            return false; // the branch's server is still starting
          }
        });
    return found[0];
  }

  private static ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("neon-api-key", neon.apiKey())
        .input("neon-project-id", neon.projectId())
        .input("neon-api-url", neon.apiUrl())
        .input("snapshot", "branch")
        .input("restore-check-branch", "true")
        .storage(s3, bucket)
        .timeout(Duration.ofMinutes(3));
  }
}
