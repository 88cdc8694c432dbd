package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.testing.JsonText;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code check} run as the Action runs it, against a bucket filled with archives and manifests as
 * {@code backup} writes them (put directly, so no database is needed): all well is exit 0, a stale,
 * shrunken or missing backup is exit 10 with a line per problem, and the outputs and step summary
 * say the same; bad limits are exit 2, a bucket that is not there exit 5.
 */
class CheckIT {
  private static final String PREFIX = "neon-backups/";
  private static final Instant NOW = Instant.now();

  private static S3Server s3;
  /** app: fresh and grown; billing: stale; shop: shrunk by 80%, with a newer unmanaged archive. */
  private static String bucket;
  private static String appNewest;
  private static String billingNewest;
  private static String shopNewest;

  @BeforeAll
  static void fillABucketAsBackupWould() {
    s3 = S3Server.shared();
    bucket = s3.createBucket();
    published("app", NOW.minus(Duration.ofHours(25)), 1_000);
    appNewest = published("app", NOW.minus(Duration.ofHours(1)), 1_100);
    published("billing", NOW.minus(Duration.ofHours(60)), 500);
    billingNewest = published("billing", NOW.minus(Duration.ofHours(30)), 500);
    published("shop", NOW.minus(Duration.ofHours(26)), 1_000);
    shopNewest = published("shop", NOW.minus(Duration.ofHours(2)), 200);
    s3.putObject(bucket, new BackupKey(PREFIX, "shop", NOW.minusSeconds(60)).key(), new byte[5_000]);
  }

  @Test
  void all_well_is_exit_0_with_a_table_the_outputs_and_a_summary() {
    ProgramRun.Result run =
        ProgramRun.inTempDir().storage(s3, bucket).input("command", "check").input("databases", "app").run();
    assertEquals(0, run.exitCode(), run::describe);
    List<String> table = run.stdout().lines().filter(line -> !line.startsWith("::")).toList();
    assertTrue(table.get(0).startsWith("DATABASE"), run::describe);
    assertTrue(table.get(1).matches("app +1h 0m \\d+s +1\\.1 KiB +\\+10\\.0% +ok +" + appNewest), run::describe);
    assertEquals(List.of(), run.errorLines(), run::describe);
    assertEquals("0", run.outputs().get("problems"), run::describe);
    Map<String, Object> app = JsonText.arrayOfObjects(run.outputs().get("checked")).get(0);
    assertEquals(appNewest, app.get("key"));
    assertEquals(1_100, ((Number) app.get("sizeBytes")).intValue());
    assertEquals(10.0, ((Number) app.get("changePercent")).doubleValue());
    long age = ((Number) app.get("ageSeconds")).longValue();
    assertTrue(age >= 3_600 && age < 3_600 + 120, "age " + age);
    assertTrue(run.stepSummary().startsWith("### Neon backup check: all fresh"), run.stepSummary());
    assertTrue(run.stepSummary().contains("| `app` | `" + appNewest + "` | 1h 0m "), run.stepSummary());
  }

  @Test
  void a_stale_a_shrunken_and_a_missing_backup_are_exit_10_with_a_line_each() {
    ProgramRun.Result run =
        ProgramRun.inTempDir()
            .storage(s3, bucket)
            .env("GITHUB_ACTIONS", "true")
            .args("check", "--databases", "app,billing,shop,ghost", "--max-age", "26h")
            .run();
    assertEquals(10, run.exitCode(), run::describe);
    List<String> errors = run.errorLines();
    assertEquals(3, errors.size(), run::describe);
    assertTrue(errors.get(0).startsWith("error: database billing: the newest backup, " + billingNewest + ", is 30h "), run::describe);
    assertTrue(errors.get(0).endsWith("old, more than max-age 26h"), run::describe);
    assertTrue(errors.get(1).startsWith("error: database shop: the newest backup, " + shopNewest + ", is 80.0% smaller"), run::describe);
    assertEquals("error: database ghost: no backup at all", errors.get(2), run::describe);
    assertEquals(
        3, run.stdout().lines().filter(line -> line.startsWith("::error title=Check failed::database ")).count(), run::describe);
    assertEquals(3, run.annotations().size(), "each problem once, as its annotation\n" + run.describe());
    assertEquals(List.of(), run.plainErrorsAndWarnings(), run::describe);
    assertEquals("3", run.outputs().get("problems"), run::describe);
    List<Map<String, Object>> checked = JsonText.arrayOfObjects(run.outputs().get("checked"));
    assertEquals(List.of("app", "billing", "shop", "ghost"), checked.stream().map(o -> o.get("database")).toList());
    assertEquals(shopNewest, checked.get(2).get("key"), "the unmanaged archive does not count");
    assertEquals(-80.0, ((Number) checked.get(2).get("changePercent")).doubleValue());
    assertEquals(null, checked.get(3).get("key"));
    String summary = run.stepSummary();
    assertTrue(summary.startsWith("### Neon backup check: 3 problems"), summary);
    assertTrue(summary.contains("| `ghost` | none | - | - | - | **no backup at all** |"), summary);
  }

  @Test
  void an_empty_prefix_is_exit_10() {
    ProgramRun.Result run =
        ProgramRun.inTempDir().storage(s3, bucket).input("s3-prefix", "nothing-here/").args("check").run();
    assertEquals(10, run.exitCode(), run::describe);
    assertEquals(
        List.of("error: no backups at all under s3://" + bucket + "/nothing-here/"), run.errorLines(), run::describe);
    assertEquals("[]", run.outputs().get("checked"), run::describe);
    assertEquals("1", run.outputs().get("problems"), run::describe);
  }

  @Test
  void a_bad_max_age_is_exit_2_naming_the_input() {
    ProgramRun.Result run =
        ProgramRun.inTempDir().storage(s3, bucket).input("command", "check").input("max-age", "26").run();
    assertEquals(2, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertTrue(run.errorLines().get(0).startsWith("error: max-age must be"), run::describe);
    assertEquals("", run.stepSummary(), run::describe);
  }

  @Test
  void a_missing_bucket_is_exit_5() {
    ProgramRun.Result run = ProgramRun.inTempDir().storage(s3, bucket + "-gone").args("check").run();
    assertEquals(5, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertEquals("", run.outputs().getOrDefault("problems", ""), run::describe);
    assertTrue(run.stepSummary().startsWith("### Neon check failed"), run::describe);
    assertTrue(run.stepSummary().contains(run.errorLines().get(0).substring("error: ".length())), run::describe);
  }

  private static String published(String database, Instant stamp, int size) {
    String key = new BackupKey(PREFIX, database, stamp).key();
    s3.putObject(bucket, key, new byte[size]);
    Manifest manifest =
        Manifest.builder()
            .manifestVersion(Manifest.CURRENT_VERSION)
            .toolVersion("test")
            .database(database)
            .objectKey(key)
            .serverVersion("17.5")
            .pgDumpVersion("17.6")
            .compression("zstd:1")
            .startedAt(stamp)
            .finishedAt(stamp.plusSeconds(3))
            .sizeBytes(size)
            .sha256("ab".repeat(32))
            .verification("full")
            .verificationResult("passed")
            .encryption(Optional.empty())
            .build();
    s3.putObject(bucket, key + ".json", manifest.toJson().getBytes(StandardCharsets.UTF_8));
    return key;
  }
}
