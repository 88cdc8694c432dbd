package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The restore drill and restore never empty or write into the database being backed up, however
 * its address is spelled: the servers are asked (a marker schema made in the target, looked up
 * through the source), the text of the two connection strings is never compared. A refusal is exit
 * 2 before the dump, names both inputs, stores nothing and leaves no marker behind.
 */
class SameDatabaseIT {
  private static final int USAGE = 2;

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;
  private static SourceSnapshot snapshot;
  /** A backup of {@link #source} to restore in the restore tests. */
  private static String backupBucket;
  private static String backupKey;

  @BeforeAll
  static void aSourceWithASchemaTheDumpLeavesOut() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    source = freshDatabase("guarded");
    postgres.execute(source, SampleData.VARIED);
    snapshot = SourceSnapshot.prepare(postgres, source);
    backupBucket = s3.createBucket();
    ProgramRun.Result run = checked(backup(backupBucket));
    assertEquals(0, run.exitCode(), run::describe);
    backupKey = run.outputs().get("object-key");
  }

  /** The server's own address, spelled another way: {@code HOST} and {@code PORT} are replaced. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:PORT",
        "db.invalid:PORT?hostaddr=127.0.0.1",
        "127.0.0.1:0PORT",
        "127.0.0.2:PORT,127.0.0.1:PORT",
        "[::1]:PORT"
      })
  void the_drill_refuses_the_database_being_backed_up_before_the_dump(String spelling) {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        checked(backup(bucket).input("restore-check-url", spelled(spelling, source)));

    assertRefused(run, "database-url", "restore-check-url");
    assertNothingStored(bucket);
    assertFalse(run.stdout().contains("::group::pg_dump"), "pg_dump never started");
    snapshot.assertIntact();
  }

  /**
   * The source's search_path puts a schema of its own before pg_catalog, with a table named
   * pg_namespace (and functions named like the standby probes) in it: the lookup must read the
   * catalog itself. Set through the URL's {@code options} and through the database's settings.
   */
  @ParameterizedTest
  @ValueSource(strings = {"url-options", "database-setting"})
  void the_drill_reads_the_catalog_whatever_search_path_the_source_sets(String where) {
    String shadowed = freshDatabase("shadowed");
    postgres.execute(
        shadowed,
        "CREATE SCHEMA shadow; CREATE TABLE shadow.pg_namespace (nspname name);"
            + " CREATE FUNCTION shadow.pg_is_in_recovery() RETURNS boolean LANGUAGE sql"
            + " AS 'SELECT false'; CREATE TABLE public.kept (id int); INSERT INTO public.kept"
            + " VALUES (1);");
    String sourceUrl = postgres.url(shadowed);
    if (where.equals("url-options")) {
      sourceUrl += "?options=-csearch_path%3Dshadow%2Cpg_catalog%2Cpublic";
    } else {
      postgres.execute(
          shadowed,
          "ALTER DATABASE \"" + shadowed + "\" SET search_path = shadow, pg_catalog, public");
    }
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        checked(
            ProgramRun.inTempDir()
                .input("database-url", sourceUrl)
                .input("restore-check-url", spelled("localhost:PORT", shadowed))
                .storage(s3, bucket)
                .env("GITHUB_ACTIONS", "true"));

    assertRefused(run, "database-url", "restore-check-url");
    assertNothingStored(bucket);
    assertFalse(PgTools.tableFingerprints(postgres, shadowed).isEmpty(), run::describe);
  }

  @Test
  void the_drill_into_another_database_on_the_same_server_passes_and_leaves_no_marker() {
    String bucket = s3.createBucket();
    String scratch = freshDatabase("scratch");
    ProgramRun.Result run =
        checked(
            backup(bucket)
                .input("pg-dump-options", "") // the whole source, so that the counts agree
                .input("restore-check-url", spelled("localhost:PORT", scratch)));

    assertEquals(0, run.exitCode(), run::describe);
    assertEquals("passed", run.outputs().get("restore-check"), run::describe);
    snapshot.assertIntact();
    SourceSnapshot.assertNoMarkerIn(postgres, scratch);
  }

  @Test
  void restore_into_a_database_that_holds_tables_is_refused_without_clean() {
    String target = freshDatabase("occupied");
    postgres.execute(target, "CREATE TABLE log (line text); INSERT INTO log VALUES ('a'), ('b');");
    Map<String, String> before = PgTools.tableFingerprints(postgres, target);

    ProgramRun.Result run = checked(restore(target));

    assertRefused(run, "target-url", "clean");
    assertEquals(before, PgTools.tableFingerprints(postgres, target), "the target is untouched");
  }

  @Test
  void restore_into_a_database_that_holds_tables_with_clean_replaces_the_archives_objects() {
    String target = freshDatabase("occupied_clean");
    ProgramRun.Result first = checked(restore(target));
    assertEquals(0, first.exitCode(), first::describe);

    ProgramRun.Result again = checked(restore(target).input("clean", "true"));

    assertEquals(0, again.exitCode(), again::describe);
    Map<String, String> restored = PgTools.tableFingerprints(postgres, target);
    restored.keySet().forEach(table -> assertEquals(snapshot.tables().get(table), restored.get(table), table));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:PORT", "127.0.0.2:PORT,127.0.0.1:PORT"})
  void restore_refuses_the_source_named_by_database_url(String spelling) {
    ProgramRun.Result run =
        checked(
            restore(source)
                .input("target-url", spelled(spelling, source))
                .input("database-url", postgres.url(source)));

    assertRefused(run, "database-url", "target-url");
    assertTrue(run.errorLines().get(0).contains("allow-source-target"), run::describe);
    snapshot.assertIntact();
  }

  @Test
  void restore_with_clean_into_the_source_is_refused_even_with_allow_source_target() {
    ProgramRun.Result run =
        checked(
            restore(source)
                .input("target-url", spelled("localhost:PORT", source))
                .input("database-url", postgres.url(source))
                .input("allow-source-target", "true")
                .input("clean", "true"));

    assertRefused(run, "target-url", "clean");
    assertTrue(run.errorLines().get(0).contains("allow-source-target"), run::describe);
    snapshot.assertIntact();
  }

  @Test
  void allow_source_target_restores_into_an_emptied_source() {
    String emptied = freshDatabase("emptied");
    ProgramRun.Result run =
        checked(
            restore(emptied)
                .input("target-url", spelled("localhost:PORT", emptied))
                .input("database-url", postgres.url(emptied))
                .input("allow-source-target", "true"));

    assertEquals(0, run.exitCode(), run::describe);
    assertFalse(PgTools.tableFingerprints(postgres, emptied).isEmpty(), run::describe);
    SourceSnapshot.assertNoMarkerIn(postgres, emptied);
  }

  @Test
  void restore_next_to_the_source_passes_the_check_and_leaves_no_marker() {
    String target = freshDatabase("beside");
    ProgramRun.Result run = checked(restore(target).input("database-url", postgres.url(source)));

    assertEquals(0, run.exitCode(), run::describe);
    snapshot.assertIntact();
    SourceSnapshot.assertNoMarkerIn(postgres, target);
  }

  private static void assertRefused(ProgramRun.Result run, String input, String otherInput) {
    assertEquals(USAGE, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    String error = run.errorLines().get(0);
    assertTrue(error.contains(input) && error.contains(otherInput), run::describe);
  }

  private static void assertNothingStored(String bucket) {
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing stored");
    assertEquals(List.of(), s3.unfinishedUploads(bucket), "no unfinished upload");
  }

  /** {@code url(database)} with its host and port replaced by {@code hostAndPort}. */
  private static String spelled(String hostAndPort, String database) {
    String url = postgres.url(database);
    String address = "@" + postgres.host() + ":" + postgres.port() + "/";
    String spelled = hostAndPort.replace("PORT", String.valueOf(postgres.port()));
    int query = spelled.indexOf('?');
    String tail = query < 0 ? "" : spelled.substring(query);
    String withoutQuery = query < 0 ? spelled : spelled.substring(0, query);
    return url.replace(address, "@" + withoutQuery + "/") + tail;
  }

  private static ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(source))
        .input("pg-dump-options", "--exclude-schema=" + SourceSnapshot.EXCLUDED_SCHEMA)
        .storage(s3, bucket)
        .env("GITHUB_ACTIONS", "true");
  }

  private static ProgramRun restore(String target) {
    return ProgramRun.inTempDir()
        .storage(s3, backupBucket)
        .input("command", "restore")
        .input("backup-key", backupKey)
        .input("target-url", postgres.url(target))
        .env("GITHUB_ACTIONS", "true");
  }

  /** Runs the program and checks that no secret appears anywhere it wrote. */
  private static ProgramRun.Result checked(ProgramRun program) {
    return program.runRevealingNone(postgres.password(), s3.secretAccessKey());
  }

  private static String freshDatabase(String prefix) {
    return postgres.createUniqueDatabase(prefix);
  }
}
