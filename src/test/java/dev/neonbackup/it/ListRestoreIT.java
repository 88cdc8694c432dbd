package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.JsonText;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The other half, run as the Action runs it: {@code list} reads a bucket that real backups
 * filled, {@code restore} brings a backup back into a new database (streamed, or downloaded for a
 * parallel restore), a damaged object is refused before the database is touched, and the restore
 * drill proves a backup restores. No run prints a secret.
 */
class ListRestoreIT {
  private static final int USAGE = 2;
  private static final int VERIFY = 6;
  private static final int RESTORE_CHECK = 9;
  private static final String PREFIX = "neon-backups/";

  private static PostgresServer postgres;
  private static S3Server s3;
  /** SampleData.VARIED, backed up twice; the older backup's manifest is deleted. */
  private static String shop;
  /** A database whose name needs encoding in a key; it sorts before "shop" (upper case first). */
  private static String ledger;
  private static String catalogBucket;
  private static String shopOlder;
  private static String shopNewer;
  private static String ledgerKey;
  private static String pgDumpVersion;

  @BeforeAll
  static void fillABucketWithRealBackupsAndForeignFiles() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    shop = postgres.uniqueDatabaseName("shop");
    postgres.createDatabase(shop);
    postgres.execute(shop, SampleData.VARIED);
    ledger = "Ledger ü " + postgres.uniqueDatabaseName("x");
    postgres.createDatabase(ledger);
    postgres.execute(
        ledger,
        "CREATE TABLE entries (id int PRIMARY KEY, memo text, amount numeric(12, 2));"
            + " INSERT INTO entries SELECT g, 'Buchung ' || g, g * 1.25 FROM generate_series(1, 250) g;");

    catalogBucket = s3.createBucket();
    ProgramRun.Result first = succeeded(backup(shop, catalogBucket));
    shopOlder = first.outputs().get("object-key");
    pgDumpVersion = first.outputs().get("pg-dump-version");
    shopNewer = succeeded(backup(shop, catalogBucket)).outputs().get("object-key");
    ledgerKey = succeeded(backup(ledger, catalogBucket)).outputs().get("object-key");
    assertTrue(shopNewer.compareTo(shopOlder) > 0, shopNewer + " is newer than " + shopOlder);
    assertTrue(ledgerKey.startsWith(PREFIX + "Ledger%20%C3%BC%20x_"), ledgerKey);

    s3.client().deleteObject(r -> r.bucket(catalogBucket).key(shopOlder + ".json"));
    String shopFolder = shopOlder.substring(0, shopOlder.lastIndexOf('/') + 1);
    for (String foreign :
        List.of(
            PREFIX + "notes.txt",
            PREFIX + "x/y.dump",
            shopFolder + shop + "-20261341T000000Z.dump", // month 13
            shopFolder + shop + "-20260101T000000Z.dump.bak",
            shopFolder + "other-20260101T000000Z.dump",
            "elsewhere/" + shop + "/" + shop + "-20260101T000000Z.dump")) {
      s3.putObject(catalogBucket, foreign, "not a backup".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void list_shows_exactly_the_backups_per_database_newest_first() {
    ProgramRun.Result run =
        succeeded(
            ProgramRun.inTempDir()
                .storage(s3, catalogBucket)
                .input("command", "list")
                .env("GITHUB_ACTIONS", "true"));
    List<String> table =
        run.stdout().lines().filter(line -> !line.startsWith("::")).toList();
    assertTrue(table.get(0).startsWith("DATABASE"), run::describe);
    List<String> rows = table.subList(1, table.size());
    assertEquals(
        List.of(ledgerKey, shopNewer, shopOlder),
        rows.stream().map(row -> row.substring(row.lastIndexOf(' ') + 1)).toList(),
        run::describe);
    assertTrue(rows.get(0).startsWith(ledger + " "), run::describe);
    assertTrue(rows.get(1).startsWith(shop + " "), run::describe);
    assertTrue(rows.get(1).contains("full: passed"), run::describe);
    assertTrue(rows.get(1).contains(" " + pgDumpVersion + " "), run::describe);
    assertTrue(rows.get(2).contains("no manifest"), run::describe);
    assertFalse(rows.get(2).contains("passed"), run::describe);
  }

  @Test
  void list_json_holds_the_same_backups_for_scripts() {
    ProgramRun.Result run =
        succeeded(ProgramRun.inTempDir().storage(s3, catalogBucket).args("list", "--json"));
    String json = run.stdout().strip();
    List<Map<String, Object>> objects = JsonText.arrayOfObjects(json);
    for (Map<String, Object> object : objects) {
      assertTrue(
          object.values().stream().allMatch(ListRestoreIT::isFlatValue),
          () -> "not a flat object: " + object + "\n" + run.describe());
    }
    assertEquals(
        List.of(ledgerKey, shopNewer, shopOlder),
        objects.stream().map(o -> o.get("key")).toList(),
        run::describe);
    assertEquals(ledger, objects.get(0).get("database"));
    assertEquals(true, objects.get(1).get("manifest"));
    assertEquals("full", objects.get(1).get("verification"));
    assertEquals("passed", objects.get(1).get("verificationResult"));
    assertEquals(
        (long) s3.getObject(catalogBucket, shopNewer).length,
        ((Number) objects.get(1).get("sizeBytes")).longValue());
    assertTrue(
        objects.get(1).get("sha256") instanceof String sha256 && sha256.matches("[0-9a-f]{64}"),
        json);
    assertEquals(false, objects.get(2).get("manifest"));
    assertTrue(objects.get(2).containsKey("sha256"), json);
    assertNull(objects.get(2).get("sha256"), json);
  }

  @Test
  void list_sets_the_backups_output_to_what_list_json_prints_and_writes_a_summary() {
    ProgramRun.Result run =
        succeeded(ProgramRun.inTempDir().storage(s3, catalogBucket).args("list", "--json"));
    String output = run.outputs().get("backups");
    assertTrue(output != null && !output.isBlank(), run::describe);
    assertEquals(JsonText.arrayOfObjects(run.stdout().strip()), JsonText.arrayOfObjects(output));
    String summary = run.stepSummary();
    assertTrue(summary.startsWith("### Neon backups: 3"), summary);
    assertTrue(summary.contains("| database | time (UTC) | size | verification | key |"), summary);
    assertTrue(summary.contains("| `" + shop + "` | "), summary);
    assertTrue(summary.contains("| full: passed | `" + shopNewer + "` |"), summary);
    assertTrue(summary.contains("| no manifest | `" + shopOlder + "` |"), summary);
  }

  /** What {@code list --json} puts in its objects: a string, a whole number, a boolean or null. */
  private static boolean isFlatValue(Object value) {
    return value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Boolean;
  }

  @Test
  void restore_by_key_streams_a_backup_without_manifest_into_a_new_database() {
    String target = freshDatabase("by_key");
    ProgramRun.Result run =
        succeeded(
            ProgramRun.inTempDir()
                .storage(s3, catalogBucket)
                .input("target-url", postgres.url(target))
                .args("restore", "--backup-key", shopOlder));
    assertTrue(run.stderr().contains("warning: no manifest beside"), run::describe);
    assertTrue(
        run.stderr().contains("the archive's header: written by pg_dump 15."),
        () -> "without a manifest, the archive's header names its pg_dump\n" + run.describe());
    assertEquals(
        "s3://" + catalogBucket + "/" + shopOlder, run.stdout().strip(), run::describe);
    Map<String, String> tables = PgTools.tableFingerprints(postgres, shop);
    assertEquals(tables, PgTools.tableFingerprints(postgres, target));
    assertEquals(String.valueOf(tables.size()), run.outputs().get("tables-restored"), run::describe);
  }

  @Test
  void restore_latest_of_the_named_database_from_the_action_inputs() {
    String target = freshDatabase("latest");
    ProgramRun.Result run =
        succeeded(
            ProgramRun.inTempDir()
                .storage(s3, catalogBucket)
                .input("command", "restore")
                .input("backup-key", "latest")
                .input("database", ledger)
                .input("target-url", postgres.url(target))
                .env("GITHUB_ACTIONS", "true"));
    assertTrue(run.stdout().contains("s3://" + catalogBucket + "/" + ledgerKey), run::describe);
    Map<String, String> expected = PgTools.tableFingerprints(postgres, ledger);
    assertEquals(List.of("public.entries"), List.copyOf(expected.keySet()));
    assertEquals(expected, PgTools.tableFingerprints(postgres, target));
    Map<String, String> outputs = run.outputs();
    assertEquals(ledgerKey, outputs.get("object-key"), run::describe);
    String targetUrl = outputs.get("target-url");
    assertTrue(targetUrl.contains(target), targetUrl);
    assertFalse(targetUrl.contains(postgres.password()), targetUrl);
    assertTrue(outputs.get("duration-seconds").matches("\\d+\\.\\d"), run::describe);
    assertTrue(outputs.get("pg-restore-version").matches("1\\d(\\.\\d+)?"), run::describe);
    assertEquals("1", outputs.get("tables-restored"), run::describe);
    String summary = run.stepSummary();
    assertTrue(summary.startsWith("### Neon restore: `" + ledgerKey + "`"), summary);
    assertTrue(summary.contains("| Into | `" + targetUrl + "` |"), summary);
    assertTrue(summary.contains("| Tables restored | 1 |"), summary);
  }

  @Test
  void a_failed_list_writes_its_error_line_to_the_summary() {
    ProgramRun.Result run =
        checked(ProgramRun.inTempDir().storage(s3, "no-such-bucket-" + shop.replace('_', '-')).args("list"));
    assertFailureSummarized(run, "list");
  }

  @Test
  void a_failed_restore_writes_its_error_line_to_the_summary() {
    String target = freshDatabase("missing");
    String missing = PREFIX + shop + "/" + shop + "-20260101T000000Z.dump";
    ProgramRun.Result run =
        checked(restoreOf(missing, target).args("restore"));
    assertFailureSummarized(run, "restore");
  }

  @Test
  void restore_latest_without_the_database_input_names_the_choices() {
    String target = freshDatabase("ambiguous");
    ProgramRun.Result run =
        checked(
            ProgramRun.inTempDir()
                .storage(s3, catalogBucket)
                .input("command", "restore")
                .input("backup-key", "latest")
                .input("target-url", postgres.url(target)));
    assertEquals(USAGE, run.exitCode(), run::describe);
    assertEquals(
        List.of(
            "error: backup-key latest needs the database input: the prefix holds backups of "
                + ledger
                + ", "
                + shop),
        run.errorLines(),
        run::describe);
    assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
  }

  @Test
  void a_parallel_restore_downloads_checks_and_leaves_no_file_behind() throws IOException {
    String target = freshDatabase("jobs");
    Path tmp = Files.createTempDirectory("restore-tmp-");
    AtomicBoolean downloadSeen = new AtomicBoolean();
    ProgramRun.Result run =
        succeeded(
            restoreOf(shopNewer, target)
                .input("jobs", "3")
                .env("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp)
                .whileRunning(process -> downloadSeen.set(awaitAnyFileIn(tmp, process)))
                .args("restore"));
    assertTrue(run.stderr().contains(", 3 jobs"), run::describe);
    assertTrue(downloadSeen.get(), "the archive was downloaded under " + tmp);
    Map<String, String> tables = PgTools.tableFingerprints(postgres, shop);
    assertEquals(tables, PgTools.tableFingerprints(postgres, target));
    assertEquals(String.valueOf(tables.size()), run.outputs().get("tables-restored"), run::describe);
    assertEquals(List.of(), filesIn(tmp), "the downloaded archive is deleted");
  }

  @Test
  void a_damaged_object_is_refused_before_the_database_is_touched() throws IOException {
    String bucket = s3.createBucket();
    byte[] archive = s3.getObject(catalogBucket, shopNewer);
    byte[] damaged = archive.clone();
    for (int i = damaged.length / 2; i < damaged.length / 2 + 8; i++) {
      damaged[i] ^= 0x5a;
    }
    s3.putObject(bucket, shopNewer, damaged);
    s3.putObject(bucket, shopNewer + ".json", s3.getObject(catalogBucket, shopNewer + ".json"));
    String target = freshDatabase("damaged");
    Path tmp = Files.createTempDirectory("restore-tmp-");
    ProgramRun.Result run =
        checked(
            ProgramRun.inTempDir()
                .storage(s3, bucket)
                .input("backup-key", shopNewer)
                .input("target-url", postgres.url(target))
                .input("jobs", "2")
                .env("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp)
                .env("GITHUB_ACTIONS", "true")
                .args("restore"));
    assertEquals(VERIFY, run.exitCode(), run::describe);
    assertTrue(run.stderr().contains("Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=" + tmp), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    String error = run.errorLines().get(0);
    assertTrue(error.contains("s3://" + bucket + "/" + shopNewer + " does not match its manifest"), run::describe);
    assertTrue(error.contains("the target database was not touched"), run::describe);
    assertFalse(run.stdout().contains("::group::pg_restore"), "pg_restore never started");
    assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
    assertEquals(
        "0",
        PgTools.queryString(
            postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('sales', 'Ünïcode Schema')"));
    assertEquals(List.of(), filesIn(tmp), "the downloaded archive is deleted");
  }

  @ParameterizedTest(name = "jobs {0}")
  @ValueSource(strings = {"1", "2"})
  void a_truncated_manifest_beside_a_flipped_byte_is_refused_and_the_target_left_untouched(String jobs) {
    String bucket = s3.createBucket();
    byte[] damaged = s3.getObject(catalogBucket, shopNewer).clone();
    damaged[damaged.length / 2] ^= 0x01;
    s3.putObject(bucket, shopNewer, damaged);
    byte[] manifest = s3.getObject(catalogBucket, shopNewer + ".json");
    s3.putObject(bucket, shopNewer + ".json", java.util.Arrays.copyOf(manifest, manifest.length / 2));
    String target = freshDatabase("truncated");
    ProgramRun.Result run =
        checked(restoreOf(bucket, shopNewer, target).input("jobs", jobs).env("GITHUB_ACTIONS", "true"));
    assertEquals(VERIFY, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    String error = run.errorLines().get(0);
    assertTrue(
        error.contains("the manifest beside s3://" + bucket + "/" + shopNewer + " is damaged: it cannot be read"),
        run::describe);
    assertTrue(error.endsWith("(the target was not touched)"), run::describe);
    assertFalse(run.stdout().contains("::group::pg_restore"), "pg_restore never started");
    assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
  }

  @Test
  void list_prints_a_hostile_manifest_field_without_it_becoming_a_workflow_command() {
    String bucket = s3.createBucket();
    s3.putObject(bucket, shopNewer, s3.getObject(catalogBucket, shopNewer));
    String manifest =
        new String(s3.getObject(catalogBucket, shopNewer + ".json"), StandardCharsets.UTF_8)
            .replace(
                "\"pgDumpVersion\": \"" + pgDumpVersion + "\"",
                "\"pgDumpVersion\": \"" + pgDumpVersion + "\\n::error title=x::y\\r\\n  ##[warning]z\"");
    assertTrue(manifest.contains("::error title=x::y"), manifest);
    s3.putObject(bucket, shopNewer + ".json", manifest.getBytes(StandardCharsets.UTF_8));
    for (List<String> args : List.of(List.of("list"), List.of("list", "--json"))) {
      ProgramRun.Result run =
          succeeded(
              ProgramRun.inTempDir()
                  .storage(s3, bucket)
                  .env("GITHUB_ACTIONS", "true")
                  .args(args.toArray(new String[0])));
      for (String line : (run.stdout() + "\n" + run.stderr()).split("\r\n|\r|\n")) {
        assertFalse(line.strip().startsWith("::error") || line.contains("##["), run::describe);
      }
      assertTrue(run.stdout().contains("::error title=x::y"), run::describe);
    }
  }

  @Test
  void the_restore_drill_passes_and_passes_again_into_the_same_scratch_database() {
    String bucket = s3.createBucket();
    String scratch = freshDatabase("drill");
    for (int attempt = 1; attempt <= 2; attempt++) {
      ProgramRun.Result run =
          succeeded(backup(shop, bucket).input("restore-check-url", postgres.url(scratch)));
      assertEquals("passed", run.outputs().get("restore-check"), run::describe);
      String summary = run.stepSummary();
      assertTrue(summary.contains("#### Restore drill: passed"), summary);
      assertTrue(summary.contains("| `public.customers` | 500 | 500 | ok |"), summary);
      assertTrue(summary.contains("| `sales.invoices` | 800 | 800 | ok |"), summary);
      assertTrue(summary.contains("| `\"Ünïcode Schema\".\"Grüße\"` | 3 | 3 | ok |"), summary);
      assertFalse(summary.contains("differs"), summary);
      assertEquals(
          PgTools.tableFingerprints(postgres, shop),
          PgTools.tableFingerprints(postgres, scratch),
          "after drill " + attempt);
    }
  }

  @Test
  void the_restore_drill_fails_the_run_when_a_table_comes_back_with_other_row_counts() {
    String bucket = s3.createBucket();
    String scratch = freshDatabase("drill_mismatch");
    ProgramRun.Result run =
        checked(
            backup(shop, bucket)
                .input("pg-dump-options", "--exclude-table-data=sales.invoices")
                .input("restore-check-url", postgres.url(scratch)));
    assertEquals(RESTORE_CHECK, run.exitCode(), run::describe);
    assertEquals("failed", run.outputs().get("restore-check"), run::describe);
    String key = run.outputs().get("object-key");
    assertEquals(List.of(key, key + ".json"), s3.keys(bucket, ""), "the backup itself is stored");
    assertEquals(
        List.of(
            "error: the backup is stored at s3://"
                + bucket
                + "/"
                + key
                + ", but the restore drill found different row counts in sales.invoices"),
        run.errorLines(),
        run::describe);
    assertTrue(run.stepSummary().contains("| `sales.invoices` | 800 | 0 | **differs** |"), run::stepSummary);
    assertTrue(run.stepSummary().contains("| `public.customers` | 500 | 500 | ok |"), run::stepSummary);
  }

  private static ProgramRun backup(String database, String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(database))
        .storage(s3, bucket)
        .env("GITHUB_ACTIONS", "true");
  }

  /** Runs the program and checks that no secret appears anywhere it wrote. */
  /** {@code restore} of {@code key} from {@code bucket} into the database {@code target}. */
  private static ProgramRun restoreOf(String bucket, String key, String target) {
    return ProgramRun.inTempDir()
        .storage(s3, bucket)
        .input("backup-key", key)
        .input("target-url", postgres.url(target))
        .args("restore");
  }

  private static ProgramRun.Result checked(ProgramRun program) {
    ProgramRun.Result run = program.run();
    String output = run.outputExceptMasks();
    assertFalse(output.contains(postgres.password()), () -> "database password leaked\n" + run.describe());
    assertFalse(output.contains(s3.secretAccessKey()), () -> "S3 secret leaked\n" + run.describe());
    return run;
  }

  private static ProgramRun.Result succeeded(ProgramRun program) {
    ProgramRun.Result run = checked(program);
    assertEquals(0, run.exitCode(), run::describe);
    return run;
  }

  /** The run failed with one error line, which its step summary holds too; it set no output. */
  private static void assertFailureSummarized(ProgramRun.Result run, String command) {
    assertTrue(run.exitCode() != 0, run::describe);
    List<String> errors = run.errorLines();
    assertEquals(1, errors.size(), run::describe);
    String summary = run.stepSummary();
    assertTrue(summary.startsWith("### Neon " + command + " failed"), summary);
    assertTrue(summary.contains(errors.get(0).substring("error: ".length())), summary);
    assertEquals(Map.of(), run.outputs(), run::describe);
  }

  /** A run that restores {@code key} from the bucket of real backups into {@code target}. */
  private static ProgramRun restoreOf(String key, String target) {
    return ProgramRun.inTempDir()
        .storage(s3, catalogBucket)
        .input("backup-key", key)
        .input("target-url", postgres.url(target));
  }

  private static String freshDatabase(String prefix) {
    return postgres.createUniqueDatabase(prefix);
  }

  /** Watches {@code dir} while {@code process} runs; says whether anything appeared in it. */
  private static boolean awaitAnyFileIn(Path dir, Process process) {
    while (process.isAlive()) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.findAny().isPresent()) {
          return true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LockSupport.parkNanos(1_000_000);
    }
    return false;
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).toList();
    }
  }

  @Test
  void the_restore_drill_drops_tables_a_previous_drill_left_that_the_source_no_longer_has() {
    String source = freshDatabase("evolving");
    postgres.execute(
        source,
        "CREATE TABLE parent (id int PRIMARY KEY); INSERT INTO parent VALUES (1), (2);"
            + " CREATE TABLE child (id int REFERENCES parent); INSERT INTO child VALUES (1);");
    String bucket = s3.createBucket();
    String scratch = freshDatabase("drill_evolving");
    succeeded(backup(source, bucket).input("restore-check-url", postgres.url(scratch)));
    postgres.execute(source, "ALTER TABLE child RENAME TO renamed_child");
    ProgramRun.Result run =
        succeeded(backup(source, bucket).input("restore-check-url", postgres.url(scratch)));
    assertEquals("passed", run.outputs().get("restore-check"), run::describe);
    assertEquals(
        PgTools.tableFingerprints(postgres, source), PgTools.tableFingerprints(postgres, scratch));
  }
}
