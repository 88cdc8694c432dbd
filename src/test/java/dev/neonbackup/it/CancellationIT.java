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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cancelled workflow run: real SIGINT or SIGTERM sent to the real program in each phase of its
 * work. After each, the program has ended with 130 or 143 within five seconds, printed one error
 * annotation saying it was cancelled, and left no process, no unfinished upload, no object, no
 * file holding a secret, and no session connected to the database.
 */
class CancellationIT {
  private static final int SIGINT_STATUS = 130;
  private static final int SIGTERM_STATUS = 143;
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final String SILENT_PASSWORD = "AbC123dEfSilent";

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String big;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    big = postgres.uniqueDatabaseName("cancel");
    postgres.createDatabase(big);
    postgres.execute(big, SampleData.large(1_500_000));
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
    running.awaitLog("progress:", Duration.ofSeconds(60));
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
      ProgramRun.Result result = signal(running, "INT", SIGINT_STATUS);
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
    ProgramRun.Result result = signal(running, signal, status);
    for (ProcessHandle child : running.childrenSeen()) {
      // A process killed at the very end may still be on its way out: give it a moment.
      child.onExit().completeOnTimeout(child, 2, java.util.concurrent.TimeUnit.SECONDS).join();
      assertFalse(
          child.isAlive(), "a process of the run is left: " + child.info() + "\n" + result.describe());
    }
    if (bucket != null) {
      assertEquals(List.of(), s3.keys(bucket, ""), "no object\n" + result.describe());
      assertEquals(
          List.of(), s3.unfinishedUploads(bucket), "no unfinished upload\n" + result.describe());
    }
    assertEquals(List.of(), filesIn(tmp(program)), "no temporary file left\n" + result.describe());
    assertSessionsEnd();
    assertNoSecret(result);
  }

  /** Sends the signal, and checks the exit status, the time taken and the one error line. */
  private static ProgramRun.Result signal(RunningProgram running, String signal, int status) {
    long sent = System.nanoTime();
    running.signal(signal);
    ProgramRun.Result result = running.await(Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - sent);
    assertEquals(status, result.exitCode(), result::describe);
    assertTrue(took.compareTo(GRACE) < 0, "took " + took + "\n" + result.describe());
    List<String> errors =
        result.stdout().lines().filter(line -> line.startsWith("::error::")).toList();
    assertEquals(1, errors.size(), result::describe);
    assertTrue(errors.get(0).startsWith("::error::the run was cancelled by a signal"), result::describe);
    long opened = result.stdout().lines().filter(line -> line.startsWith("::group::")).count();
    long closed = result.stdout().lines().filter(line -> line.equals("::endgroup::")).count();
    assertEquals(opened, closed, "every log group is closed\n" + result.describe());
    return result;
  }

  /** The server ends a cancelled session at once; give it a moment to notice. */
  private static void assertSessionsEnd() {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (sessions(null) > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertEquals(0, sessions(null), "no session of the run connected to the database");
  }

  private static void assertNoSecret(ProgramRun.Result result) {
    String output = result.outputExceptMasks();
    assertFalse(output.contains(postgres.password()), result::describe);
    assertFalse(output.contains(SILENT_PASSWORD), result::describe);
    assertFalse(output.contains(s3.secretAccessKey()), result::describe);
  }

  // --- the program and the servers

  private static ProgramRun storage(String bucket) {
    ProgramRun program = ProgramRun.inTempDir().storage(s3, bucket).env("GITHUB_ACTIONS", "true");
    Path tmp = program.workDir().resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return program.jvmOption("-Djava.io.tmpdir=" + tmp);
  }

  private static ProgramRun backup(String bucket) {
    return storage(bucket).input("compression", "9").input("connect-retries", "0");
  }

  private static Path tmp(ProgramRun program) {
    return program.workDir().resolve("tmp");
  }

  private static List<Path> filesIn(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(path -> !path.equals(directory)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isPgRestore(ProcessHandle process) {
    return process.info().command().map(c -> c.endsWith("/pg_restore")).orElse(false);
  }

  /** Sessions of pg_dump, pg_restore or psql on the server; only those waiting on {@code waitType} if given. */
  private static int sessions(String waitType) {
    String sql =
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND application_name IN ('pg_dump', 'pg_restore', 'psql')"
            + (waitType == null ? "" : " AND wait_event_type = ?");
    return count(sql, waitType);
  }

  private static int sessionsOf(String database) {
    return count(
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = ?",
        database);
  }

  private static int count(String sql, String parameter) {
    try (Connection connection = postgres.connect("postgres");
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
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
