package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Neon compute that scaled to zero is unreachable until it has started: the backup rides that
 * out with retries. A server of its own stands in for the compute, stopped before the run and
 * started a few seconds into it. What another attempt cannot fix fails at once.
 */
class SuspendedComputeIT {
  private static final int DATABASE = 3;
  /**
   * How long after the program's first connection attempt the compute is started: past the first
   * retry (2 s later), which is then refused too, and before the second (4 s after that).
   */
  private static final Duration COMPUTE_WAKES_AFTER = Duration.ofSeconds(3);
  /** The first retry waits 2 s: a run that fails at once ends well before that plus a margin. */
  private static final Duration AT_ONCE = Duration.ofSeconds(10);

  private static PostgresServer compute;
  private static S3Server s3;
  private static String database;

  @BeforeAll
  static void startServers() {
    compute = PostgresServer.startLocal(15);
    s3 = S3Server.shared();
    database = compute.uniqueDatabaseName("suspended");
    compute.createDatabase(database);
    compute.execute(database, SampleData.VARIED);
  }

  @AfterEach
  void wakeTheCompute() {
    compute.startAgain();
  }

  @AfterAll
  static void stopServers() {
    compute.close();
  }

  @Test
  void a_backup_that_starts_while_the_compute_is_suspended_succeeds_through_retries()
      throws IOException {
    compute.stopFast();
    String bucket = s3.createBucket();
    ProgramRun.Result run;
    try (ServerSocket port = holdPort()) {
      run =
          backup(bucket)
              .whileRunning(
                  process -> {
                    dropFirstConnection(port);
                    sleep(COMPUTE_WAKES_AFTER);
                    compute.startAgain();
                  })
              .run();
    }

    assertEquals(0, run.exitCode(), run::describe);
    List<String> retries = run.stderr().lines().filter(l -> l.contains("retrying in ")).toList();
    assertFalse(retries.isEmpty(), run::describe);
    assertTrue(retries.get(0).contains("warning: could not connect to database"), run::describe);
    assertTrue(retries.get(0).contains("retrying in 2 s (retry 1 of 5)"), run::describe);
    String key = run.outputs().get("object-key");
    assertEquals(List.of(key, key + ".json"), s3.keys(bucket, ""), run::describe);
    assertEquals("full: passed", run.outputs().get("verification"), run::describe);
    assertEquals(List.of(), s3.unfinishedUploads(bucket));
    assertNoSecrets(run, compute.password());
  }

  @Test
  void a_wrong_password_fails_at_once_without_retrying() {
    String bucket = s3.createBucket();
    String wrong = "wrong-password-" + System.nanoTime();
    long started = System.nanoTime();
    ProgramRun.Result run =
        backup(bucket).input("database-url", compute.urlWithPassword(database, wrong)).run();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertFailedAtOnce(run, bucket, took, "the database rejected the credentials");
    assertNoSecrets(run, wrong);
  }

  @Test
  void no_retries_against_a_suspended_compute_fails_at_once() {
    compute.stopFast();
    String bucket = s3.createBucket();
    long started = System.nanoTime();
    ProgramRun.Result run = backup(bucket).input("connect-retries", "0").run();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertFailedAtOnce(run, bucket, took, "could not connect to database '" + database + "'");
    assertNoSecrets(run, compute.password());
  }

  private static ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", compute.url(database))
        .storage(s3, bucket)
        .timeout(Duration.ofMinutes(2));
  }

  private static void assertFailedAtOnce(
      ProgramRun.Result run, String bucket, Duration took, String reason) {
    assertEquals(DATABASE, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertTrue(run.errorLines().get(0).contains(reason), run::describe);
    assertFalse(run.stderr().contains("retrying"), run::describe);
    assertTrue(took.compareTo(AT_ONCE) < 0, () -> "took " + took + "\n" + run.describe());
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing stored");
    assertEquals(List.of(), s3.unfinishedUploads(bucket), "no multipart upload left");
  }

  private static void assertNoSecrets(ProgramRun.Result run, String password) {
    assertFalse(run.outputExceptMasks().contains(password), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(compute.password()), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
  }

  /** Binds the stopped compute's port, before the program starts, so no attempt slips past. */
  private static ServerSocket holdPort() throws IOException {
    ServerSocket port = new ServerSocket();
    port.setReuseAddress(true);
    port.bind(new InetSocketAddress(compute.host(), compute.port()));
    port.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
    return port;
  }

  /**
   * Waits for the program's first connection and drops it, then frees the port: that attempt
   * fails however slowly the program's JVM started, and the next ones are refused until the
   * compute starts.
   */
  private static void dropFirstConnection(ServerSocket port) {
    try (port;
        Socket first = port.accept()) {
      first.setSoLinger(true, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("the program never tried to connect", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
