package dev.neonbackup.it;

import static dev.neonbackup.testing.FaultyS3Proxy.Fault.INTERNAL_ERROR;
import static dev.neonbackup.testing.FaultyS3Proxy.Fault.SLOW_DOWN;
import static dev.neonbackup.testing.FaultyS3Proxy.Operation.ABORT_MULTIPART_UPLOAD;
import static dev.neonbackup.testing.FaultyS3Proxy.Operation.COMPLETE_MULTIPART_UPLOAD;
import static dev.neonbackup.testing.FaultyS3Proxy.Operation.CREATE_MULTIPART_UPLOAD;
import static dev.neonbackup.testing.FaultyS3Proxy.Operation.LIST_OBJECTS;
import static dev.neonbackup.testing.FaultyS3Proxy.Operation.UPLOAD_PART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.store.s3.PartSizes;
import dev.neonbackup.testing.FaultyS3Proxy;
import dev.neonbackup.testing.FaultyS3Proxy.FaultPlan;
import dev.neonbackup.testing.RunningProgram;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3 answers 500 InternalError and 503 SlowDown now and then. Through a proxy that injects such
 * answers in front of the real S3 server, a run must retry its way to exactly the archive pg_dump
 * wrote, or, when a part never gets through, fail cleanly and leave nothing behind.
 */
class S3FaultsIT {
  private static final int STORAGE = 5;
  /** The program's first parts are all this size; this archive needs no larger ones. */
  private static final long PART_SIZE = PartSizes.standard().sizeOf(1);

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    source = postgres.uniqueDatabaseName("faults");
    postgres.createDatabase(source);
    postgres.execute(
        source,
        "CREATE TABLE t AS SELECT g, md5(random()::text) || md5(random()::text) AS payload"
            + " FROM generate_series(1, 600000) g");
  }

  @Test
  void rides_out_500s_and_503s_and_stores_exactly_the_archive() throws Exception {
    String bucket = s3.createBucket();
    FaultPlan plan =
        FaultPlan.none()
            .fail(CREATE_MULTIPART_UPLOAD, INTERNAL_ERROR, 1)
            .fail(UPLOAD_PART, SLOW_DOWN, 2, 5)
            .fail(COMPLETE_MULTIPART_UPLOAD, INTERNAL_ERROR, 1);
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, plan)) {
      ProgramRun.Result run = backupThrough(proxy, bucket).run();
      Supplier<String> both = () -> run.describe() + "\n" + proxy.describe();
      assertEquals(0, run.exitCode(), both);
      assertEquals(1, proxy.faults(CREATE_MULTIPART_UPLOAD), both);
      assertEquals(2, proxy.faults(UPLOAD_PART), both);
      assertEquals(1, proxy.faults(COMPLETE_MULTIPART_UPLOAD), both);
      assertEquals(4, proxy.faultsInjected(), both);

      Map<String, String> outputs = run.outputs();
      String key = outputs.get("object-key");
      assertEquals(List.of(key, outputs.get("manifest-key")), s3.keys(bucket, ""), both);
      byte[] stored = s3.getObject(bucket, key);
      long parts = (stored.length + PART_SIZE - 1) / PART_SIZE;
      assertTrue(parts >= 4, "the archive spans several parts: " + stored.length + " bytes");
      assertEquals(parts + 2, proxy.requests(UPLOAD_PART), "one retry per fault");
      assertEquals(String.valueOf(stored.length), outputs.get("size-bytes"), both);
      assertEquals(sha256(stored), outputs.get("sha256"), both);
      assertEquals(List.of(), s3.unfinishedUploads(bucket), "no multipart upload left behind");
      assertRestoresEqualData(stored);
      assertNoSecrets(run);
    }
  }

  @Test
  void a_part_that_never_gets_through_fails_the_run_and_leaves_nothing() {
    String bucket = s3.createBucket();
    FaultPlan plan = FaultPlan.none().failEvery(UPLOAD_PART, SLOW_DOWN);
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, plan)) {
      ProgramRun.Result run = backupThrough(proxy, bucket).run();
      Supplier<String> both = () -> run.describe() + "\n" + proxy.describe();
      assertEquals(STORAGE, run.exitCode(), both);
      assertEquals(1, run.errorLines().size(), both);
      String error = run.errorLines().get(0);
      assertTrue(error.contains("s3://" + bucket + "/") && error.contains("503"), both);
      assertTrue(proxy.faults(UPLOAD_PART) > 0, both);
      assertEquals(0, proxy.faults(ABORT_MULTIPART_UPLOAD), both);
      assertTrue(proxy.requests(ABORT_MULTIPART_UPLOAD) > 0, () -> "no abort\n" + both.get());
      assertEquals(List.of(), s3.keys(bucket, ""), "nothing published");
      assertEquals(List.of(), s3.unfinishedUploads(bucket), "no multipart upload left behind");
      assertTrue(run.outputs().isEmpty(), "no outputs for a failed run");
      assertNoSecrets(run);
    }
  }

  /**
   * The earlier backups are read for the progress estimate and the summary only: pg_dump must not
   * wait for them. With every listing held until the archive's parts have reached S3, the run
   * still completes (before, pg_dump started only after the listings had been answered), and the
   * archive is published only once its manifest can follow.
   */
  @Test
  void pg_dump_does_not_wait_for_the_listing_of_earlier_backups() throws Exception {
    String bucket = s3.createBucket();
    ProgramRun.Result first =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .input("compression", "0")
            .timeout(Duration.ofMinutes(2))
            .run();
    assertEquals(0, first.exitCode(), first::describe);
    CountDownLatch listings = new CountDownLatch(1);
    FaultPlan plan = FaultPlan.none().holdUntil(LIST_OBJECTS, listings);
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, plan)) {
      RunningProgram running = backupThrough(proxy, bucket).start();
      Supplier<String> requests = proxy::describe;
      running.awaitThat(
          "parts uploaded while the listings wait", Duration.ofSeconds(60),
          () -> proxy.requests(UPLOAD_PART) >= 2 && proxy.requests(LIST_OBJECTS) > 0);
      // The archive is not published before its manifest can follow: with pg_dump done and the
      // listings still held, nothing is completed (an archive without a manifest would be left
      // for good by a cancel now).
      running.awaitThat(
          "pg_dump done", Duration.ofSeconds(60), () -> CancelledRuns.sessionsOf(postgres, source) == 0);
      Thread.sleep(2000);
      assertEquals(0, proxy.requests(COMPLETE_MULTIPART_UPLOAD), requests);
      assertEquals(2, s3.keys(bucket, "").size(), () -> s3.keys(bucket, "") + "\n" + requests.get());
      listings.countDown();
      ProgramRun.Result run = running.await(Duration.ofMinutes(2));
      assertEquals(0, run.exitCode(), () -> run.describe() + "\n" + requests.get());
      assertTrue(
          run.stepSummary().contains("Last 2 backups of"),
          () -> "the trend still comes: " + run.stepSummary());
    } finally {
      listings.countDown();
    }
  }

  /** The storage inputs of the real server, but every request goes through {@code proxy}. */
  private static ProgramRun backupThrough(FaultyS3Proxy proxy, String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(source))
        .storage(s3, bucket)
        .input("s3-endpoint", proxy.endpoint().toString())
        .input("compression", "0")
        .env("GITHUB_ACTIONS", "true")
        .timeout(Duration.ofMinutes(2));
  }

  private static void assertRestoresEqualData(byte[] archive) throws Exception {
    Path file = Files.createTempFile("s3-faults-", ".dump");
    try {
      Files.write(file, archive);
      String restored = postgres.uniqueDatabaseName("faults_restored");
      postgres.createDatabase(restored);
      try {
        PgTools.restore(postgres, restored, file);
        assertEquals(
            PgTools.tableFingerprints(postgres, source),
            PgTools.tableFingerprints(postgres, restored));
      } finally {
        postgres.dropDatabase(restored);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static void assertNoSecrets(ProgramRun.Result run) {
    assertFalse(run.outputExceptMasks().contains(postgres.password()), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
  }
}
