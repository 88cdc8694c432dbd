package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.FaultyS3Proxy;
import dev.neonbackup.testing.FaultyS3Proxy.Fault;
import dev.neonbackup.testing.FaultyS3Proxy.FaultPlan;
import dev.neonbackup.testing.FaultyS3Proxy.Operation;
import dev.neonbackup.testing.JsonText;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several databases in one run, on a server of its own: databases a, b and c, each with a table,
 * and a backup role that is no superuser and may connect to a and b but not to c, as on a Neon
 * project where some databases belong to someone else.
 */
class SeveralDatabasesIT {
  private static final int DATABASE = 3;
  private static final String ROLE = "backup_user";
  /** Characters a connection URI must percent-encode, like the fixture's own passwords. */
  private static final String ROLE_PASSWORD = "bk@p:w/d%x?y#z&q=r+s-" + System.nanoTime();
  private static final Pattern STAMPED_KEY =
      Pattern.compile("neon-backups/(\\w+)/\\1-(\\d{8}T\\d{6}Z)\\.dump");

  private static PostgresServer server;
  private static S3Server s3;

  @BeforeAll
  static void startServers() {
    server = PostgresServer.startLocal(15);
    s3 = S3Server.shared();
    server.execute(
        "postgres",
        "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE_PASSWORD.replace("'", "''") + "'");
    for (String database : List.of("a", "b", "c")) {
      server.createDatabase(database);
      server.execute(
          database,
          "CREATE TABLE public.t_"
              + database
              + " (id int PRIMARY KEY, label text);"
              + " INSERT INTO public.t_"
              + database
              + " SELECT g, '"
              + database
              + "' || g FROM generate_series(1, 200) g;"
              + " GRANT SELECT ON ALL TABLES IN SCHEMA public TO "
              + ROLE);
    }
    server.execute("postgres", "REVOKE CONNECT ON DATABASE c FROM PUBLIC");
    // With connections to "postgres" refused, `all` on this server means exactly a, b and c; it
    // also shows that a database which allows no connections is left out. The fixture needs
    // "postgres" no more after this.
    server.execute("a", "ALTER DATABASE postgres ALLOW_CONNECTIONS false");
  }

  @AfterAll
  static void stopServers() {
    server.close();
  }

  @Test
  void all_backs_up_every_readable_database_and_fails_naming_the_one_it_cannot_read() {
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(bucket).input("databases", "all").run();

    assertEquals(DATABASE, run.exitCode(), run::describe);
    List<String> errors = run.errorLines();
    assertEquals(2, errors.size(), run::describe);
    assertTrue(errors.get(0).startsWith("error: database 'c': pg_dump exited"), run::describe);
    String summary = errors.get(1);
    assertTrue(summary.startsWith("error: backed up 2 of 3; failed: c ("), run::describe);
    assertTrue(summary.contains("permission denied for database \"c\""), run::describe);
    assertTrue(run.stepSummary().contains("### Failed: `c`"), run::stepSummary);
    assertArchivesOfAAndB(run, bucket);
    assertNoSecrets(run);
  }

  @Test
  void under_actions_the_failed_database_and_the_runs_line_are_one_titled_annotation_each() {
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(bucket).input("databases", "all").env("GITHUB_ACTIONS", "true").run();

    assertEquals(DATABASE, run.exitCode(), run::describe);
    List<String> annotations = run.annotations();
    assertEquals(2, annotations.size(), run::describe);
    assertTrue(
        annotations.get(0).startsWith("::error title=Database backup failed::database 'c': pg_dump exited"),
        run::describe);
    assertTrue(
        annotations.get(1).startsWith("::error title=Backup failed::backed up 2 of 3; failed: c ("),
        run::describe);
    assertEquals(List.of(), run.plainErrorsAndWarnings(), "printed once, as the annotations\n" + run.describe());
    assertArchivesOfAAndB(run, bucket);
    assertNoSecrets(run);
  }

  @Test
  void all_refuses_a_database_whose_name_holds_a_line_break_by_name_and_backs_up_the_others() {
    String bucket = s3.createBucket();
    server.execute("a", "CREATE DATABASE \"a\nb\"");
    ProgramRun.Result run;
    try {
      run = backup(bucket).input("databases", "all").input("exclude-databases", "c").run();
    } finally {
      server.execute("a", "DROP DATABASE \"a\nb\"");
    }

    assertEquals(DATABASE, run.exitCode(), run::describe);
    List<String> errors = run.errorLines();
    assertEquals(2, errors.size(), run::describe);
    assertTrue(
        errors.get(0).startsWith("error: database 'a\\nb': database \"a\\nb\" cannot be backed up:"),
        run::describe);
    assertTrue(errors.get(0).contains("line break"), run::describe);
    assertTrue(errors.get(1).startsWith("error: backed up 2 of 3; failed: a\\nb ("), run::describe);
    assertTrue(
        run.stderr().contains("backing up 3 databases: a, a\\nb, b"), run::describe);
    assertArchivesOfAAndB(run, bucket);
    assertNoSecrets(run);
  }

  /**
   * The earlier backups of a database that failed are not spoken of: with every listing failing,
   * b warns that it was made without a trend, and a, whose pg_dump fails (no table t_b), says
   * nothing after its error line (its reading went on beside the dump and used to warn "made all
   * the same").
   */
  @Test
  void a_failed_database_gets_no_warning_about_its_earlier_backups() {
    String bucket = s3.createBucket();
    // Slow too, so that a's reading ends only after its pg_dump has failed.
    FaultPlan listingsFail =
        FaultPlan.none()
            .failEvery(Operation.LIST_OBJECTS, Fault.INTERNAL_ERROR)
            .delay(Operation.LIST_OBJECTS, Duration.ofSeconds(2));
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, listingsFail)) {
      ProgramRun.Result run =
          backup(bucket)
              .input("s3-endpoint", proxy.endpoint().toString())
              .input("databases", "a, b")
              .input("pg-dump-options", "--strict-names --table=public.t_b")
              .run();
      assertEquals(4, run.exitCode(), run::describe);
      assertTrue(run.errorLines().get(0).startsWith("error: database 'a': pg_dump exited"), run::describe);
      List<String> earlier =
          run.warnings().stream().filter(line -> line.contains("could not read the earlier backups of")).toList();
      assertTrue(earlier.stream().anyMatch(line -> line.contains("'b'")), run::describe);
      assertEquals(List.of(), earlier.stream().filter(line -> line.contains("'a'")).toList(), run::describe);
    }
  }

  @Test
  void a_named_list_backs_up_those_databases() {
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(bucket).input("databases", "a, b").run();

    assertEquals(0, run.exitCode(), run::describe);
    assertEquals(List.of(), run.errorLines(), run::describe);
    assertArchivesOfAAndB(run, bucket);
    assertNoSecrets(run);
  }

  @Test
  void all_minus_the_excluded_database_succeeds() {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backup(bucket).input("databases", "all").input("exclude-databases", "c").run();

    assertEquals(0, run.exitCode(), run::describe);
    assertArchivesOfAAndB(run, bucket);
    assertNoSecrets(run);
  }

  @Test
  void two_at_once_gives_what_one_at_a_time_gives() throws IOException {
    String oneBucket = s3.createBucket();
    ProgramRun.Result one =
        backup(oneBucket).input("databases", "all").input("parallel-databases", "1").run();
    String twoBucket = s3.createBucket();
    ProgramRun.Result two =
        backup(twoBucket).input("databases", "all").input("parallel-databases", "2").run();

    assertEquals(one.exitCode(), two.exitCode(), two::describe);
    assertEquals(withoutStamps(one.errorLines()), withoutStamps(two.errorLines()), two::describe);
    Map<String, String> oneKeys = assertArchivesOfAAndB(one, oneBucket);
    Map<String, String> twoKeys = assertArchivesOfAAndB(two, twoBucket);
    for (String database : List.of("a", "b")) {
      assertEquals(
          contentsOf(oneBucket, oneKeys.get(database)),
          contentsOf(twoBucket, twoKeys.get(database)),
          "the archive of " + database);
    }
    assertNoSecrets(one);
    assertNoSecrets(two);
  }

  @Test
  void include_roles_stores_the_roles_without_passwords_beside_the_archives() {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backup(bucket).input("databases", "a,b").input("include-roles", "true").run();

    assertEquals(0, run.exitCode(), run::describe);
    Map<String, String> archives = assertArchivesOfAAndB(run, bucket);
    String stamp = stampOf(archives.get("a"));
    String rolesKey = "neon-backups/_roles/roles-" + stamp + ".sql";
    assertTrue(s3.keys(bucket, "").contains(rolesKey), () -> s3.keys(bucket, "").toString());
    assertEquals(rolesKey, run.outputs().get("roles-key"), run::describe);
    String roles = new String(s3.getObject(bucket, rolesKey), StandardCharsets.UTF_8);
    assertTrue(roles.contains("CREATE ROLE " + ROLE + ";"), roles);
    assertFalse(roles.contains("PASSWORD"), roles);
    assertFalse(roles.contains("SCRAM-SHA-256$"), roles);
    assertNoSecrets(run);
  }

  private static ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", roleUrl("a"))
        .storage(s3, bucket)
        .timeout(Duration.ofMinutes(2));
  }

  /**
   * Asserts that the run stored exactly the archives of a and b (each with its manifest, under one
   * timestamp, no upload left unfinished) and that its {@code backups} output describes those two.
   * Returns each database's archive key.
   */
  private static Map<String, String> assertArchivesOfAAndB(ProgramRun.Result run, String bucket) {
    List<String> archives =
        s3.keys(bucket, "").stream().filter(key -> key.endsWith(".dump")).toList();
    assertEquals(2, archives.size(), () -> archives + "\n" + run.describe());
    Map<String, String> byDatabase = new LinkedHashMap<>();
    for (String key : archives) {
      Matcher matcher = STAMPED_KEY.matcher(key);
      assertTrue(matcher.matches(), key);
      byDatabase.put(matcher.group(1), key);
      assertTrue(s3.keys(bucket, "").contains(key + ".json"), "the manifest of " + key);
    }
    assertEquals(List.of("a", "b"), List.copyOf(byDatabase.keySet()), archives::toString);
    assertEquals(stampOf(byDatabase.get("a")), stampOf(byDatabase.get("b")), "one run timestamp");
    assertEquals(List.of(), s3.unfinishedUploads(bucket), "no multipart upload left");

    List<Map<String, String>> described = backupsOutput(run);
    assertEquals(2, described.size(), run::describe);
    for (Map<String, String> backup : described) {
      String database = backup.get("database");
      assertEquals(byDatabase.get(database), backup.get("object-key"), backup::toString);
      assertEquals("s3://" + bucket + "/" + backup.get("object-key"), backup.get("object-url"));
      assertEquals(
          String.valueOf(s3.getObject(bucket, backup.get("object-key")).length),
          backup.get("size-bytes"));
      assertEquals("full: passed", backup.get("verification"));
    }
    assertFalse(run.outputs().containsKey("object-key"), "no single-archive outputs for two");
    return byDatabase;
  }

  /** The {@code backups} output: a JSON array of flat objects whose values are strings. */
  private static List<Map<String, String>> backupsOutput(ProgramRun.Result run) {
    String json = run.outputs().get("backups");
    assertTrue(json != null && json.startsWith("[") && json.endsWith("]"), run::describe);
    List<Map<String, String>> backups = new ArrayList<>();
    for (Map<String, Object> object : JsonText.arrayOfObjects(json)) {
      Map<String, String> fields = new LinkedHashMap<>();
      object.forEach(
          (name, value) -> {
            assertTrue(value instanceof String, () -> name + " is not a string in " + json);
            fields.put(name, (String) value);
          });
      backups.add(fields);
    }
    return backups;
  }

  /** What pg_restore reads from an archive, without the header that names when it was made. */
  private static String contentsOf(String bucket, String key) throws IOException {
    Path archive = Files.createTempFile("several-", ".dump");
    try {
      Files.write(archive, s3.getObject(bucket, key));
      return PgTools.list(archive)
          .lines()
          .filter(line -> !line.startsWith(";"))
          .reduce("", (a, b) -> a + b + "\n");
    } finally {
      Files.delete(archive);
    }
  }

  private static List<String> withoutStamps(List<String> lines) {
    return lines.stream().map(line -> line.replaceAll("\\d{8}T\\d{6}Z", "<stamp>")).toList();
  }

  private static String stampOf(String key) {
    Matcher matcher = STAMPED_KEY.matcher(key);
    assertTrue(matcher.matches(), key);
    return matcher.group(2);
  }

  private static String roleUrl(String database) {
    return "postgresql://"
        + ROLE
        + ":"
        + percentEncode(ROLE_PASSWORD)
        + "@"
        + server.host()
        + ":"
        + server.port()
        + "/"
        + database;
  }

  private static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static void assertNoSecrets(ProgramRun.Result run) {
    assertFalse(run.outputExceptMasks().contains(ROLE_PASSWORD), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(server.password()), "superuser password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
  }
}
