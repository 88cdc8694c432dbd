package dev.neonbackup.it;

import static dev.neonbackup.testing.FaultyS3Proxy.Fault.INTERNAL_ERROR;
import static dev.neonbackup.testing.FaultyS3Proxy.Fault.SLOW_DOWN;
import static dev.neonbackup.testing.FaultyS3Proxy.Operation.GET_OBJECT_RANGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.FaultyS3Proxy;
import dev.neonbackup.testing.FaultyS3Proxy.FaultPlan;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A parallel restore downloads the archive in ranged GETs, several at a time, each retried on its
 * own. Through a proxy in front of the real S3 server that answers chosen ranged GETs with S3's
 * own errors: one failing once is asked for again, alone, and the restore brings back the same
 * data; one failing every time fails the restore cleanly, before pg_restore touches the target,
 * and leaves no downloaded file behind.
 */
class RangedRestoreIT {
  private static final int STORAGE = 5;
  private static final Pattern DOWNLOADED = Pattern.compile("downloaded .* \\((\\d+) ranges of ");

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;
  private static String bucket;
  private static String key;

  @BeforeAll
  static void backUpAnArchiveOfSeveralRanges() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    source = postgres.uniqueDatabaseName("ranged");
    postgres.createDatabase(source);
    // About 30 MB uncompressed: at least three 8-MiB ranges.
    postgres.execute(
        source,
        "CREATE TABLE t AS SELECT g, md5(random()::text) || md5(random()::text) AS payload"
            + " FROM generate_series(1, 400000) g");
    bucket = s3.createBucket();
    ProgramRun.Result backup =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .input("compression", "0")
            .input("verify", "none")
            .timeout(Duration.ofMinutes(2))
            .run();
    assertEquals(0, backup.exitCode(), backup::describe);
    key = backup.outputs().get("object-key");
  }

  @Test
  void a_ranged_get_failing_once_is_retried_alone_and_the_restore_brings_back_the_same_data()
      throws IOException {
    String target = freshDatabase("ranged_retry");
    Path tmp = Files.createTempDirectory("restore-tmp-");
    try (FaultyS3Proxy proxy =
        FaultyS3Proxy.inFrontOf(s3, FaultPlan.none().fail(GET_OBJECT_RANGE, SLOW_DOWN, 2))) {
      ProgramRun.Result run = restoreThrough(proxy, target, tmp).run();
      Supplier<String> both = () -> run.describe() + "\n" + proxy.describe();
      assertEquals(0, run.exitCode(), both);
      Matcher downloaded = DOWNLOADED.matcher(run.stderr());
      assertTrue(downloaded.find(), both);
      int ranges = Integer.parseInt(downloaded.group(1));
      assertTrue(ranges >= 3, () -> "the archive spans several ranges\n" + both.get());
      assertEquals(1, proxy.faults(GET_OBJECT_RANGE), both);
      assertEquals(ranges + 1, proxy.requests(GET_OBJECT_RANGE), () -> "one retry, of one range\n" + both.get());
      List<String> warnings = run.warnings().stream().filter(w -> w.startsWith("retrying ")).toList();
      assertEquals(1, warnings.size(), both);
      assertTrue(warnings.get(0).contains("retrying bytes "), both);
      assertTrue(warnings.get(0).contains("(attempt 2 of 4): could not read bytes "), both);
      assertTrue(warnings.get(0).contains("503 SlowDown"), both);
      assertEquals(PgTools.tableFingerprints(postgres, source), PgTools.tableFingerprints(postgres, target));
      assertEquals(List.of(), filesIn(tmp), "the downloaded archive is deleted");
      assertNoSecrets(run);
    }
  }

  @Test
  void a_ranged_get_failing_every_time_fails_the_restore_before_the_target_is_touched()
      throws IOException {
    String target = freshDatabase("ranged_fail");
    Path tmp = Files.createTempDirectory("restore-tmp-");
    try (FaultyS3Proxy proxy =
        FaultyS3Proxy.inFrontOf(s3, FaultPlan.none().failEvery(GET_OBJECT_RANGE, INTERNAL_ERROR))) {
      ProgramRun.Result run = restoreThrough(proxy, target, tmp).run();
      Supplier<String> both = () -> run.describe() + "\n" + proxy.describe();
      assertEquals(STORAGE, run.exitCode(), both);
      assertEquals(1, run.errorLines().size(), both);
      String error = run.errorLines().get(0);
      assertTrue(error.contains("could not download s3://" + bucket + "/" + key + ": bytes "), both);
      assertTrue(error.contains("failed after 4 attempts"), both);
      assertTrue(error.contains("500 InternalError"), both);
      assertEquals(proxy.requests(GET_OBJECT_RANGE), proxy.faults(GET_OBJECT_RANGE), both);
      assertTrue(proxy.faults(GET_OBJECT_RANGE) >= 4, both);
      assertFalse(run.stdout().contains("::group::pg_restore"), "pg_restore never started");
      assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
      assertEquals(List.of(), filesIn(tmp), "no downloaded file is left");
      assertNoSecrets(run);
    }
  }

  private static ProgramRun restoreThrough(FaultyS3Proxy proxy, String target, Path tmp) {
    return ProgramRun.inTempDir()
        .storage(s3, bucket)
        .input("s3-endpoint", proxy.endpoint().toString())
        .input("backup-key", key)
        .input("target-url", postgres.url(target))
        .input("jobs", "2")
        .env("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp)
        .env("GITHUB_ACTIONS", "true")
        .timeout(Duration.ofMinutes(2))
        .args("restore");
  }

  private static String freshDatabase(String prefix) {
    return postgres.createUniqueDatabase(prefix);
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).toList();
    }
  }

  private static void assertNoSecrets(ProgramRun.Result run) {
    assertFalse(run.outputExceptMasks().contains(postgres.password()), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
  }
}
