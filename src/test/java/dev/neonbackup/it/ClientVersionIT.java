package dev.neonbackup.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.postgres.ArchiveHeader;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which pg_dump a backup uses, against real servers of several majors and the clients this machine
 * really has (Debian's PostgreSQL 15 under /usr/lib/postgresql): the server's own major when it is
 * installed, else the lowest newer one with a warning, else a failure that names both sides.
 */
class ClientVersionIT {
  private static final int USAGE = 2;
  private static final int DATABASE = 3;
  private static final Path CLIENT_ROOT = Path.of("/usr/lib/postgresql");
  private static final String TABLE =
      "CREATE TABLE public.items (id int PRIMARY KEY, name text, price numeric(8,2));"
          + " INSERT INTO public.items"
          + " SELECT g, 'item ' || g, g * 1.25 FROM generate_series(1, 300) g;";

  private static S3Server s3;
  private static List<Integer> installedClients;

  @BeforeAll
  static void startServers() {
    s3 = S3Server.shared();
    installedClients = installedClientMajors();
    int newest = installedClients.isEmpty() ? 0 : installedClients.get(installedClients.size() - 1);
    assertTrue(
        installedClients.contains(15) && !installedClients.contains(14) && newest < 17,
        "these tests need pg_dump 15, and neither 14 nor 17 or newer, under "
            + CLIENT_ROOT
            + " (bash .ci/setup installs postgresql-client-15); found "
            + installedClients);
  }

  @Test
  void a_client_of_the_servers_own_major_is_used_without_a_warning() {
    PostgresServer server = PostgresServer.sharedLocal(15);
    String database = databaseWithData(server, "exact");
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(server, database, bucket).env("GITHUB_ACTIONS", "true").run();

    assertEquals(0, run.exitCode(), run::describe);
    Map<String, String> outputs = run.outputs();
    assertTrue(outputs.get("pg-dump-version").matches("15\\.\\d+"), outputs::toString);
    assertTrue(outputs.get("server-version").matches("15\\.\\d+.*"), outputs::toString);
    assertTrue(run.stepSummary().contains("| pg_dump | 15."), run::stepSummary);
    assertTrue(run.stepSummary().contains("| Server | PostgreSQL 15."), run::stepSummary);
    assertEquals(List.of(), run.warnings(), run::describe);
    assertFalse(run.stdout().contains("::warning"), run::describe);
    assertEquals(
        List.of(outputs.get("object-key"), outputs.get("manifest-key")), s3.keys(bucket, ""));
    assertNoSecrets(run, server);
  }

  @Test
  void compression_auto_is_gzip_level_1_for_pg_dump_15_in_the_header_the_manifest_and_the_log() {
    PostgresServer server = PostgresServer.sharedLocal(15);
    String database = databaseWithData(server, "auto");
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(server, database, bucket).input("compression", "").run();

    assertEquals(0, run.exitCode(), run::describe);
    Map<String, String> outputs = run.outputs();
    assertTrue(outputs.get("pg-dump-version").matches("15\\.\\d+"), outputs::toString);
    ArchiveHeader header =
        ArchiveHeader.parse(s3.getObject(bucket, outputs.get("object-key"))).orElseThrow();
    assertEquals("gzip:1", header.compression(), "pg_dump was given --compress=1");
    String manifest = new String(s3.getObject(bucket, outputs.get("manifest-key")), UTF_8);
    assertEquals("1", Manifest.read(manifest).compression(), manifest);
    assertEquals(
        1,
        run.stderr().lines().filter(l -> l.endsWith("compression: auto \u2192 1 (pg_dump 15)")).count(),
        run::describe);
    assertNoSecrets(run, server);
  }

  @Test
  void pg_dump_client_newest_is_read_from_its_input_and_says_why_it_uses_a_newer_pg_dump() {
    PostgresServer server = PostgresServer.sharedLocal(14);
    String database = databaseWithData(server, "newest");
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backup(server, database, bucket).input("pg-dump-client", "newest").run();

    assertEquals(0, run.exitCode(), run::describe);
    int newest = installedClients.get(installedClients.size() - 1);
    assertTrue(
        run.outputs().get("pg-dump-version").startsWith(newest + "."), run.outputs()::toString);
    assertTrue(
        run.stderr().contains(
            "pg-dump-client is newest: using pg_dump " + newest + " for a PostgreSQL 14 server."),
        run::describe);
    assertNoSecrets(run, server);
  }

  @Test
  void an_older_server_is_dumped_by_the_lowest_newer_client_with_a_warning_and_restores_into_both()
      throws IOException {
    PostgresServer server = PostgresServer.sharedLocal(14);
    String database = databaseWithData(server, "older");
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(server, database, bucket).env("GITHUB_ACTIONS", "true").run();

    assertEquals(0, run.exitCode(), run::describe);
    Map<String, String> outputs = run.outputs();
    assertTrue(outputs.get("pg-dump-version").matches("15\\.\\d+"), outputs::toString);
    assertTrue(outputs.get("server-version").matches("14\\.\\d+.*"), outputs::toString);
    String warning = "Restoring this archive needs pg_restore 15 or newer.";
    List<String> warnings = run.annotations();
    assertEquals(1, warnings.size(), run::describe);
    assertTrue(warnings.get(0).startsWith("::warning title=Backup warning::"), run::describe);
    assertTrue(
        warnings.get(0).contains("no pg_dump 14 is installed; using pg_dump 15"), run::describe);
    assertTrue(warnings.get(0).contains(warning), run::describe);
    assertEquals(List.of(), run.plainErrorsAndWarnings(), "printed once, as the annotation\n" + run.describe());

    Path archive = Files.createTempFile("older-server-", ".dump");
    Files.write(archive, s3.getObject(bucket, outputs.get("object-key")));
    Map<String, String> expected = PgTools.tableFingerprints(server, database);
    assertEquals(1, expected.size(), expected::toString);
    for (PostgresServer target : List.of(server, PostgresServer.sharedLocal(15))) {
      String restored = target.uniqueDatabaseName("restored_from_14");
      target.createDatabase(restored);
      PgTools.restore(target, restored, archive);
      assertEquals(
          expected,
          PgTools.tableFingerprints(target, restored),
          "pg_restore 15 into PostgreSQL " + target.majorVersion());
    }
    Files.delete(archive);
    assertNoSecrets(run, server);
  }

  @Test
  void a_server_newer_than_every_client_fails_naming_both_majors_and_stores_nothing() {
    PostgresServer server = PostgresServer.sharedLocal(17);
    String database = databaseWithData(server, "newer");
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(server, database, bucket).env("GITHUB_ACTIONS", "true").run();

    assertEquals(DATABASE, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    String error = run.errorLines().get(0);
    String installed =
        installedClients.stream().map(String::valueOf).collect(Collectors.joining(", "));
    assertTrue(error.contains("the server runs PostgreSQL 17"), run::describe);
    assertTrue(error.contains("installed majors: " + installed + " "), run::describe);
    assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("::error title=Backup failed::")), run::describe);
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing stored");
    assertEquals(List.of(), s3.unfinishedUploads(bucket), "no multipart upload left");
    assertTrue(run.outputs().isEmpty(), "no outputs for a failed run");
    assertNoSecrets(run, server);
  }

  @Test
  void pg_bin_dir_picks_the_client_directory() {
    PostgresServer server = PostgresServer.sharedLocal(15);
    String database = databaseWithData(server, "bindir");
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backup(server, database, bucket).input("pg-bin-dir", CLIENT_ROOT + "/15/bin").run();

    assertEquals(0, run.exitCode(), run::describe);
    assertTrue(run.outputs().get("pg-dump-version").matches("15\\.\\d+"), run::describe);
    assertEquals(2, s3.keys(bucket, "").size(), () -> s3.keys(bucket, "").toString());
    assertNoSecrets(run, server);
  }

  @Test
  void pg_bin_dir_without_pg_dump_is_refused_as_bad_input() throws IOException {
    PostgresServer server = PostgresServer.sharedLocal(15);
    String bucket = s3.createBucket();
    Path empty = Files.createTempDirectory("no-pg-dump-");
    try {
      ProgramRun.Result run =
          backup(server, "postgres", bucket).input("pg-bin-dir", empty.toString()).run();

      assertEquals(USAGE, run.exitCode(), run::describe);
      assertEquals(1, run.errorLines().size(), run::describe);
      assertTrue(
          run.errorLines()
              .get(0)
              .contains("pg-bin-dir '" + empty + "' holds no executable pg_dump"),
          run::describe);
      assertEquals(List.of(), s3.keys(bucket, ""));
      assertNoSecrets(run, server);
    } finally {
      Files.delete(empty);
    }
  }

  @Test
  void a_filter_file_with_a_pg_dump_older_than_17_is_bad_input_before_anything_is_dumped() {
    PostgresServer server = PostgresServer.sharedLocal(15);
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backup(server, "postgres", bucket).input("pg-dump-options", "--filter=tables.txt").run();

    assertEquals(USAGE, run.exitCode(), run::describe);
    assertEquals(
        List.of(
            "error: pg-dump-options: --filter needs pg_dump 17 or later; the chosen pg_dump is 15"
                + " (install postgresql-client-17 or set pg-bin-dir)"),
        run.errorLines(),
        run::describe);
    assertEquals(List.of(), s3.keys(bucket, ""));
    assertNoSecrets(run, server);
  }

  private static ProgramRun backup(PostgresServer server, String database, String bucket) {
    return ProgramRun.inTempDir().input("database-url", server.url(database)).storage(s3, bucket);
  }

  private static String databaseWithData(PostgresServer server, String prefix) {
    String database = server.uniqueDatabaseName(prefix);
    server.createDatabase(database);
    server.execute(database, TABLE);
    return database;
  }

  /** The majors with a pg_dump under /usr/lib/postgresql, as the program discovers them. */
  private static List<Integer> installedClientMajors() {
    try (Stream<Path> majors = Files.list(CLIENT_ROOT)) {
      return majors
          .filter(dir -> dir.getFileName().toString().matches("\\d+"))
          .filter(dir -> Files.isExecutable(dir.resolve("bin/pg_dump")))
          .map(dir -> Integer.parseInt(dir.getFileName().toString()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertNoSecrets(ProgramRun.Result run, PostgresServer server) {
    assertFalse(run.outputExceptMasks().contains(server.password()), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
  }
}
