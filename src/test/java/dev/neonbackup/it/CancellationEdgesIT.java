package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.FaultyS3Proxy;
import dev.neonbackup.testing.FaultyS3Proxy.FaultPlan;
import dev.neonbackup.testing.FaultyS3Proxy.Operation;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.RunningProgram;
import dev.neonbackup.testing.S3Server;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signals in the corners {@link CancellationIT} does not reach: while the upload is being
 * created, with several databases (some not started yet), with the roles still to store, twice,
 * while a part is in flight, and while a parallel restore downloads. Each must end like any
 * cancel: 130 or 143 within five seconds, one error line, balanced groups, and nothing left.
 */
class CancellationEdgesIT {

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String big;
  private static String small;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    big = SampleData.createLarge(postgres, "edge", 600_000);
    small = postgres.uniqueDatabaseName("edgesmall");
    postgres.createDatabase(small);
    postgres.execute(small, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
  }

  /** The signal arrives while CreateMultipartUpload is on its way: the upload it creates is aborted too. */
  @Test
  void sigterm_while_the_upload_is_being_created_leaves_no_unfinished_upload() {
    String bucket = s3.createBucket();
    FaultPlan slowCreate =
        FaultPlan.none().delay(Operation.CREATE_MULTIPART_UPLOAD, Duration.ofMillis(1200));
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, slowCreate)) {
      ProgramRun program =
          backup(bucket, proxy).input("database-url", postgres.url(small));
      RunningProgram running = program.start();
      running.awaitThat(
          "the upload to be requested",
          Duration.ofSeconds(60),
          () -> proxy.requests(Operation.CREATE_MULTIPART_UPLOAD) > 0);
      ProgramRun.Result result =
          CancelledRuns.signal(running, CancelledRuns.SIGTERM_STATUS, () -> running.signal("TERM"));
      CancelledRuns.sleep(1500); // the held request reaches S3 whether the program waited or not
      assertLeftNothing(program, running, result, bucket);
      assertTrue(result.stdout().contains("the unfinished upload to"), result::describe);
    }
  }

  /**
   * Three databases, two at a time, each waiting on a lock: the signal stops the two running, and
   * the third, which a failed database would otherwise let start, must not start after it; nor
   * may the roles (include-roles) be dumped and stored after it.
   */
  @Test
  void sigterm_with_several_databases_and_roles_starts_nothing_after_the_signal() throws SQLException {
    String bucket = s3.createBucket();
    String second = postgres.uniqueDatabaseName("edgeb");
    String third = postgres.uniqueDatabaseName("edgec");
    for (String database : List.of(second, third)) {
      postgres.createDatabase(database);
      postgres.execute(database, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
    }
    try (Connection a = lock(small); Connection b = lock(second)) {
      ProgramRun program =
          backup(bucket)
              .input("database-url", postgres.url(small))
              .input("databases", small + "," + second + "," + third)
              .input("parallel-databases", "2")
              .input("include-roles", "true");
      RunningProgram running = program.start();
      running.awaitThat(
          "two pg_dumps to wait on their locks",
          Duration.ofSeconds(60),
          () -> CancelledRuns.sessions(postgres, "Lock") >= 2);
      running.awaitThat(
          "both uploads to start", Duration.ofSeconds(30), () -> s3.unfinishedUploads(bucket).size() >= 2);
      assertCancelledCleanly(program, running, "TERM", CancelledRuns.SIGTERM_STATUS, bucket);
      a.rollback();
      b.rollback();
    }
  }

  /**
   * SIGTERM 300 ms after SIGINT, while the clean-up waits on a slow AbortMultipartUpload: the exit
   * status stays the first signal's, and the clean-up still finishes.
   */
  @Test
  void a_second_signal_during_the_clean_up_changes_nothing() throws SQLException {
    String bucket = s3.createBucket();
    FaultPlan slowAbort =
        FaultPlan.none().delay(Operation.ABORT_MULTIPART_UPLOAD, Duration.ofMillis(1000));
    try (Connection holder = lock(small);
        FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, slowAbort)) {
      ProgramRun program =
          backup(bucket, proxy).input("database-url", postgres.url(small));
      RunningProgram running = program.start();
      running.awaitThat(
          "pg_dump to wait on the lock",
          Duration.ofSeconds(60),
          () -> CancelledRuns.sessions(postgres, "Lock") > 0);
      running.awaitThat(
          "the upload to start", Duration.ofSeconds(30), () -> !s3.unfinishedUploads(bucket).isEmpty());
      ProgramRun.Result result =
          CancelledRuns.signal(running, CancelledRuns.SIGINT_STATUS, () -> {
            running.signal("INT");
            running.awaitThat(
                "the abort to be sent",
                Duration.ofSeconds(3),
                () -> proxy.requests(Operation.ABORT_MULTIPART_UPLOAD) > 0);
            running.signal("TERM");
          });
      assertLeftNothing(program, running, result, bucket);
      holder.rollback();
    }
  }

  /** A part is in flight (slow UploadPart) when SIGINT comes: the abort waits for it, and aborts again. */
  @Test
  void sigint_while_a_part_is_in_flight_leaves_no_parts() {
    String bucket = s3.createBucket();
    FaultPlan slowParts = FaultPlan.none().delay(Operation.UPLOAD_PART, Duration.ofMillis(1500));
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, slowParts)) {
      ProgramRun program =
          backup(bucket, proxy)
              .input("database-url", postgres.url(big))
              .input("compression", "0");
      RunningProgram running = program.start();
      running.awaitThat(
          "a part to be on its way",
          Duration.ofSeconds(60),
          () -> proxy.requests(Operation.UPLOAD_PART) > 0);
      assertCancelledCleanly(program, running, "INT", CancelledRuns.SIGINT_STATUS, bucket);
    }
  }

  /** A parallel restore is about to download (slow GetObject) when SIGINT comes: its directory goes. */
  @Test
  void sigint_while_a_parallel_restore_downloads_deletes_the_download() {
    String bucket = s3.createBucket();
    ProgramRun.Result backup = backup(bucket).input("database-url", postgres.url(small)).run();
    assertEquals(0, backup.exitCode(), backup::describe);
    int stored = s3.keys(bucket, "").size();
    String target = postgres.uniqueDatabaseName("edgerestored");
    postgres.createDatabase(target);
    FaultPlan slowReads =
        FaultPlan.none()
            .delay(Operation.OTHER, Duration.ofMillis(800))
            .delay(Operation.LIST_OBJECTS, Duration.ofMillis(800))
            .delay(Operation.GET_OBJECT_RANGE, Duration.ofMillis(800));
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, slowReads)) {
      ProgramRun program =
          CancelledRuns.storage(s3, bucket)
              .input("s3-endpoint", proxy.endpoint().toString())
              .args("restore")
              .input("backup-key", "latest")
              .input("target-url", postgres.url(target))
              .input("jobs", "2");
      RunningProgram running = program.start();
      running.awaitThat(
          "the download's directory",
          Duration.ofSeconds(60),
          () -> CancelledRuns.namesIn(CancelledRuns.tmp(program)).stream()
              .anyMatch(name -> name.startsWith("neon-restore-")));
      assertCancelledCleanly(program, running, "INT", CancelledRuns.SIGINT_STATUS, null);
      assertEquals(stored, s3.keys(bucket, "").size(), "a restore changes nothing in the bucket");
      assertEquals(0, CancelledRuns.sessionsOf(postgres, target), "no session left in the target");
    }
  }

  /**
   * SIGINT while the restore drill's pg_restore fills the scratch database: the archive was
   * published with its manifest before the signal, which the message says; nothing else is left.
   */
  @Test
  void sigint_during_the_restore_drill_keeps_the_published_archive_and_says_so() {
    String bucket = s3.createBucket();
    String scratch = postgres.uniqueDatabaseName("edgedrill");
    postgres.createDatabase(scratch);
    ProgramRun program =
        backup(bucket)
            .input("compression", "1")
            .input("database-url", postgres.url(big))
            .input("restore-check-url", postgres.url(scratch));
    RunningProgram running = program.start();
    running.awaitThat(
        "the drill's pg_restore",
        Duration.ofSeconds(90),
        () -> CancelledRuns.sessionsOf(postgres, scratch) > 0 && s3.keys(bucket, "").size() == 2);
    ProgramRun.Result result =
        CancelledRuns.signal(running, CancelledRuns.SIGINT_STATUS, () -> running.signal("INT"));
    List<String> keys = s3.keys(bucket, "");
    assertEquals(2, keys.size(), "the archive and its manifest: " + keys + "\n" + result.describe());
    assertTrue(
        result.stdout().contains("was published with its manifest before the signal"),
        result::describe);
    assertLeftNothingBut(program, running, result);
    assertEquals(List.of(), s3.unfinishedUploads(bucket), result::describe);
    assertEquals(0, CancelledRuns.sessionsOf(postgres, scratch), "no session left in the scratch database");
  }

  /** SIGINT while {@code list} waits on a slow listing: it holds nothing, and says it was cancelled. */
  @Test
  void sigint_while_listing_ends_with_130_and_one_error_line() {
    String bucket = s3.createBucket();
    FaultPlan slowListing = FaultPlan.none().delay(Operation.LIST_OBJECTS, Duration.ofMillis(3000));
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, slowListing)) {
      ProgramRun program =
          CancelledRuns.storage(s3, bucket)
              .input("s3-endpoint", proxy.endpoint().toString())
              .args("list");
      RunningProgram running = program.start();
      running.awaitThat(
          "the listing request", Duration.ofSeconds(30), () -> proxy.requests(Operation.LIST_OBJECTS) > 0);
      ProgramRun.Result result =
          CancelledRuns.signal(running, CancelledRuns.SIGINT_STATUS, () -> running.signal("INT"));
      assertTrue(result.stdout().contains("nothing was left to clean up"), result::describe);
      assertLeftNothing(program, running, result, bucket);
    }
  }

  // --- what every cancel must leave

  private static void assertCancelledCleanly(
      ProgramRun program, RunningProgram running, String signal, int status, String bucket) {
    ProgramRun.Result result = CancelledRuns.signal(running, status, () -> running.signal(signal));
    assertLeftNothing(program, running, result, bucket);
  }

  private static void assertLeftNothing(
      ProgramRun program, RunningProgram running, ProgramRun.Result result, String bucket) {
    CancelledRuns.assertLeftNothing(postgres, s3, program, running, result, bucket);
  }

  /** Everything but the bucket, which holds what was published. */
  private static void assertLeftNothingBut(
      ProgramRun program, RunningProgram running, ProgramRun.Result result) {
    CancelledRuns.assertLeftNothing(postgres, s3, program, running, result, null);
  }

  // --- the program and the servers

  private static ProgramRun backup(String bucket) {
    return CancelledRuns.storage(s3, bucket).input("compression", "9").input("connect-retries", "0");
  }

  private static ProgramRun backup(String bucket, FaultyS3Proxy proxy) {
    return backup(bucket).input("s3-endpoint", proxy.endpoint().toString());
  }

  /** A session holding an exclusive lock on {@code database}'s table t until rolled back. */
  private static Connection lock(String database) throws SQLException {
    Connection holder = postgres.connect(database);
    holder.setAutoCommit(false);
    try (Statement lock = holder.createStatement()) {
      lock.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
    }
    return holder;
  }

}
