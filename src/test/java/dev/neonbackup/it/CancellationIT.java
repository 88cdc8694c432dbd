package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.FaultyS3Proxy;
import dev.neonbackup.testing.FaultyS3Proxy.FaultPlan;
import dev.neonbackup.testing.FaultyS3Proxy.Operation;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.RunningProgram;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cancelled workflow run: real SIGINT or SIGTERM sent to the real program in each phase of its
 * work. After each, the program has ended with 130 or 143 within five seconds, printed one error
 * annotation saying it was cancelled, and left no process, no unfinished upload, no object, no
 * file holding a secret, and no session connected to the database.
 */
class CancellationIT {
  private static final int SIGINT_STATUS = CancelledRuns.SIGINT_STATUS;
  private static final int SIGTERM_STATUS = CancelledRuns.SIGTERM_STATUS;
  private static final String SILENT_PASSWORD = "AbC123dEfSilent";

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String big;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    big = SampleData.createLarge(postgres, "cancel", 1_500_000);
  }

  @Test
  void sigint_while_connecting_stops_psql_and_deletes_its_connection_file() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = acceptForever(silent);
      String bucket = s3.createBucket();
      ProgramRun program =
          backup(bucket)
              .input(
                  "database-url",
                  "postgresql://alex:" + SILENT_PASSWORD + "@127.0.0.1:" + silent.getLocalPort()
                      + "/neondb?sslmode=disable&connect_timeout=30");
      RunningProgram running = program.start();
      running.awaitThat("psql to connect", Duration.ofSeconds(30), () -> !accepted.isEmpty());
      assertCancelledCleanly(program, running, "INT", SIGINT_STATUS, bucket);
    }
  }

  @Test
  void sigterm_mid_dump_stops_pg_dump_and_aborts_the_upload() {
    String bucket = s3.createBucket();
    ProgramRun program = backup(bucket).input("database-url", postgres.url(big));
    RunningProgram running = program.start();
    running.awaitThat(
        "the upload to start", Duration.ofSeconds(60), () -> !s3.unfinishedUploads(bucket).isEmpty());
    // pg_dump spends most of its time on this table's rows; "progress:" lines come only every
    // 10 s, and a quiet machine finishes the whole dump in about that.
    running.awaitLog("dumping contents of table \"public.big\"", Duration.ofSeconds(60));
    assertCancelledCleanly(program, running, "TERM", SIGTERM_STATUS, bucket);
  }

  @Test
  void sigint_while_pg_dump_waits_on_a_lock_ends_its_session() throws SQLException {
    String bucket = s3.createBucket();
    try (Connection holder = postgres.connect(big)) {
      holder.setAutoCommit(false);
      try (Statement lock = holder.createStatement()) {
        lock.execute("LOCK TABLE big IN ACCESS EXCLUSIVE MODE");
      }
      ProgramRun program = backup(bucket).input("database-url", postgres.url(big));
      RunningProgram running = program.start();
      running.awaitThat(
          "pg_dump to wait on the lock", Duration.ofSeconds(60), () -> sessions("Lock") > 0);
      assertCancelledCleanly(program, running, "INT", SIGINT_STATUS, bucket);
      holder.rollback();
    }
  }

  @Test
  void sigterm_mid_parallel_restore_stops_pg_restore_and_deletes_the_download() {
    String bucket = s3.createBucket();
    ProgramRun.Result backup = backup(bucket).input("database-url", postgres.url(big)).run();
    assertEquals(0, backup.exitCode(), backup::describe);
    String target = postgres.uniqueDatabaseName("restored");
    postgres.createDatabase(target);
    ProgramRun program =
        storage(bucket)
            .args("restore")
            .input("backup-key", "latest")
            .input("target-url", postgres.url(target))
            .input("jobs", "2");
    RunningProgram running = program.start();
    running.awaitThat(
        "pg_restore to start",
        Duration.ofSeconds(120),
        () -> running.childrenSeen().stream().anyMatch(CancellationIT::isPgRestore)
            && sessionsOf(target) > 0);
    int before = s3.keys(bucket, "").size();
    assertCancelledCleanly(program, running, "TERM", SIGTERM_STATUS, null);
    assertEquals(before, s3.keys(bucket, "").size(), "a restore changes nothing in the bucket");
    assertEquals(0, sessionsOf(target), "no session left in the target");
  }

  @Test
  void sigint_during_completion_waits_for_the_manifest() {
    String bucket = s3.createBucket();
    String small = postgres.uniqueDatabaseName("small");
    postgres.createDatabase(small);
    postgres.execute(small, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
    FaultPlan slowCompletion =
        FaultPlan.none().delay(Operation.COMPLETE_MULTIPART_UPLOAD, Duration.ofMillis(800));
    try (FaultyS3Proxy proxy = FaultyS3Proxy.inFrontOf(s3, slowCompletion)) {
      ProgramRun program =
          backup(bucket)
              .input("s3-endpoint", proxy.endpoint().toString())
              .input("database-url", postgres.url(small));
      RunningProgram running = program.start();
      running.awaitThat(
          "the completion request",
          Duration.ofSeconds(60),
          () -> proxy.requests(Operation.COMPLETE_MULTIPART_UPLOAD) > 0);
      ProgramRun.Result result =
          CancelledRuns.signal(running, SIGINT_STATUS, () -> running.signal("INT"));
      List<String> keys = s3.keys(bucket, "");
      assertEquals(2, keys.size(), "the archive and its manifest: " + keys + "\n" + result.describe());
      assertTrue(keys.get(1).equals(keys.get(0) + ".json"), keys::toString);
      assertTrue(
          result.stdout().contains("was published with its manifest before the signal"),
          result::describe);
      assertEquals(List.of(), s3.unfinishedUploads(bucket));
      assertNoSecret(result);
    }
  }

  // --- what every cancel must leave

  private static void assertCancelledCleanly(
      ProgramRun program, RunningProgram running, String signal, int status, String bucket) {
    ProgramRun.Result result = CancelledRuns.signal(running, status, () -> running.signal(signal));
    CancelledRuns.assertLeftNothing(postgres, s3, program, running, result, bucket);
    assertNoSecret(result);
  }

  private static void assertNoSecret(ProgramRun.Result result) {
    String output = result.outputExceptMasks();
    assertFalse(output.contains(postgres.password()), result::describe);
    assertFalse(output.contains(SILENT_PASSWORD), result::describe);
    assertFalse(output.contains(s3.secretAccessKey()), result::describe);
  }

  // --- the program and the servers

  private static ProgramRun storage(String bucket) {
    return CancelledRuns.storage(s3, bucket);
  }

  private static ProgramRun backup(String bucket) {
    return storage(bucket).input("compression", "9").input("connect-retries", "0");
  }

  private static int sessions(String waitType) {
    return CancelledRuns.sessions(postgres, waitType);
  }

  private static int sessionsOf(String database) {
    return CancelledRuns.sessionsOf(postgres, database);
  }

  private static boolean isPgRestore(ProcessHandle process) {
    return process.info().command().map(c -> c.endsWith("/pg_restore")).orElse(false);
  }

  /** Accepts connections and never answers them, as a server that hangs would. */
  private static List<Socket> acceptForever(ServerSocket listener) {
    List<Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread thread =
        new Thread(
            () -> {
              while (!listener.isClosed()) {
                try {
                  accepted.add(listener.accept());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "silent-server");
    thread.setDaemon(true);
    thread.start();
    return accepted;
  }

}
