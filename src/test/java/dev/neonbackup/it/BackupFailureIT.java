package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a backup can fail ends the same way: the documented exit status, one line that says
 * what happened, nothing at the key, no unfinished multipart upload, and no secret in any output.
 */
class BackupFailureIT {
  private static final int DATABASE = 3;
  private static final int DUMP = 4;
  private static final int STORAGE = 5;

  private static final String KEY_PASSPHRASE = "key-passphrase-" + System.nanoTime();
  private static final String ENVIRONMENT_SECRET = "environment-secret-" + System.nanoTime();

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String big;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    big = SampleData.createLarge(postgres, "big", 1_200_000);
  }

  @Test
  void a_connection_terminated_mid_dump_publishes_nothing() {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backupOf(big, bucket)
            .whileRunning(process -> terminateBackendOnceCopying(bucket))
            .run();
    assertFailedCleanly(run, bucket, DUMP, "pg_dump exited with status 1");
  }

  @Test
  void pg_dump_killed_by_a_signal_publishes_nothing_and_saw_no_secret_in_its_arguments_or_environment() {
    String bucket = s3.createBucket();
    StringBuilder commandLineSeen = new StringBuilder();
    StringBuilder environmentSeen = new StringBuilder();
    ProgramRun.Result run =
        backupOf(big, bucket)
            .input("database-url", postgres.url(big) + "?sslpassword=" + KEY_PASSPHRASE)
            .env("AWS_SECRET_ACCESS_KEY", ENVIRONMENT_SECRET)
            .env("GITHUB_TOKEN", ENVIRONMENT_SECRET)
            .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", ENVIRONMENT_SECRET)
            .env("PGSSLCRL", "/nonexistent/crl.pem")
            .whileRunning(
                process -> {
                  awaitCopyUnderway(bucket);
                  ProcessHandle pgDump = pgDumpOf(process).orElseThrow();
                  commandLineSeen.append(readProc(pgDump, "cmdline"));
                  environmentSeen.append(readProc(pgDump, "environ"));
                  pgDump.destroyForcibly();
                })
            .run();
    assertFailedCleanly(run, bucket, DUMP, "pg_dump was killed by signal 9");
    String commandLine = commandLineSeen.toString();
    assertTrue(commandLine.contains("--dbname=service=neon-backup"), commandLine);
    assertFalse(commandLine.contains(postgres.password()), "no password in pg_dump's arguments");
    assertFalse(commandLine.contains(postgres.host()), "no connection details in its arguments");
    assertFalse(commandLine.contains(postgres.superuser()), "no user name in its arguments");
    assertChildEnvironmentClean(environmentSeen.toString());
    assertFalse(run.outputExceptMasks().contains(KEY_PASSPHRASE), "sslpassword leaked");
    assertTrue(run.stdout().contains("::add-mask::" + KEY_PASSPHRASE), "sslpassword masked");
  }

  /** Variables separated by NUL, as /proc/PID/environ has them. */
  private static void assertChildEnvironmentClean(String environ) {
    List<String> names =
        List.of(environ.split("\0")).stream().map(v -> v.substring(0, v.indexOf('='))).toList();
    assertTrue(names.contains("PGSERVICEFILE"), "the tool's own service file: " + names);
    assertTrue(names.contains("PGSSLCRL"), "the user's libpq settings are kept: " + names);
    assertTrue(names.stream().noneMatch(n -> n.startsWith("INPUT_")), "no inputs: " + names);
    assertTrue(names.stream().noneMatch(n -> n.startsWith("AWS_")), "no AWS variables: " + names);
    assertTrue(names.stream().noneMatch(n -> n.startsWith("GITHUB_")), "no GitHub: " + names);
    assertTrue(names.stream().noneMatch(n -> n.startsWith("ACTIONS_")), "no tokens: " + names);
    for (String secret :
        List.of(postgres.password(), s3.secretAccessKey(), KEY_PASSPHRASE, ENVIRONMENT_SECRET)) {
      assertFalse(environ.contains(secret), "a secret in pg_dump's environment");
    }
  }

  private static String readProc(ProcessHandle process, String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void a_wrong_database_password_fails_before_anything_is_uploaded() {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        ProgramRun.inTempDir()
            .input("database-url", postgres.urlWithPassword(big, "not-the-password-xyz"))
            .storage(s3, bucket)
            .run();
    assertFailedCleanly(run, bucket, DATABASE, "the database rejected the credentials");
    assertFalse(run.outputExceptMasks().contains("not-the-password-xyz"));
  }

  @Test
  void an_unreachable_host_fails_with_the_reason() throws IOException {
    String bucket = s3.createBucket();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url =
        postgres.url(big).replace(":" + postgres.port() + "/", ":" + closedPort + "/");
    ProgramRun.Result run =
        ProgramRun.inTempDir()
            .input("database-url", url)
            .input("connect-retries", "0") // SuspendedComputeIT covers the retries
            .storage(s3, bucket)
            .run();
    assertFailedCleanly(run, bucket, DATABASE, "could not connect to database");
  }

  @Test
  void credentials_that_s3_rejects_fail_with_the_reason() {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        backupOf(big, bucket).input("aws-secret-access-key", "wrong-secret-0123456789").run();
    assertFailedCleanly(run, bucket, STORAGE, "S3 rejected the request signature");
    assertFalse(run.outputExceptMasks().contains("wrong-secret-0123456789"));
  }

  @Test
  void a_missing_bucket_fails_with_the_reason() {
    String missing = "missing-" + System.nanoTime();
    ProgramRun.Result run = backupOf(big, missing).run();
    assertEquals(STORAGE, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertTrue(run.errorLines().get(0).contains("bucket '" + missing + "' does not exist"), run::describe);
    assertTrue(run.stepSummary().contains("bucket '" + missing + "' does not exist"), run.stepSummary());
    assertNoSecrets(run);
  }

  @Test
  void an_s3_server_that_stops_mid_upload_stops_pg_dump_and_fails() {
    try (S3Server doomed = S3Server.start()) {
      String bucket = doomed.createBucket();
      ProgramRun.Result run =
          ProgramRun.inTempDir()
              .input("database-url", postgres.url(big))
              .storage(doomed, bucket)
              .whileRunning(
                  process -> {
                    awaitTrue(() -> copyingBackend().isPresent());
                    doomed.stop();
                  })
              .timeout(Duration.ofMinutes(3))
              .run();
      assertEquals(STORAGE, run.exitCode(), run::describe);
      assertEquals(1, run.errorLines().size(), run::describe);
      assertTrue(run.errorLines().get(0).contains("s3://" + bucket + "/"), run::describe);
      awaitTrue(() -> copyingBackend().isEmpty()); // pg_dump was stopped with the upload
      assertTrue(run.outputs().isEmpty(), "no outputs for a failed run");
      assertFalse(run.outputExceptMasks().contains(postgres.password()));
      assertFalse(run.outputExceptMasks().contains(doomed.secretAccessKey()));
    }
  }

  private static ProgramRun backupOf(String database, String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(database))
        .storage(s3, bucket)
        .env("GITHUB_ACTIONS", "true")
        .timeout(Duration.ofMinutes(3));
  }

  private static void assertFailedCleanly(
      ProgramRun.Result run, String bucket, int exitCode, String reason) {
    assertEquals(exitCode, run.exitCode(), run::describe);
    List<String> errors = run.errorLines();
    assertEquals(1, errors.size(), run::describe);
    assertTrue(errors.get(0).contains(reason), () -> "expected '" + reason + "'\n" + run.describe());
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing published");
    assertEquals(List.of(), s3.unfinishedUploads(bucket), "no multipart upload left");
    assertTrue(run.outputs().isEmpty(), "no outputs for a failed run");
    String summary = run.stepSummary();
    assertTrue(summary.startsWith("### Neon backup failed"), summary);
    assertTrue(summary.contains(errors.get(0).substring("error: ".length())), summary);
    assertNoSecrets(run);
  }

  private static void assertNoSecrets(ProgramRun.Result run) {
    assertFalse(run.outputExceptMasks().contains(postgres.password()), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
    assertFalse(run.outputExceptMasks().contains(KEY_PASSPHRASE), "sslpassword leaked");
    assertFalse(run.outputExceptMasks().contains(ENVIRONMENT_SECRET), "a token leaked");
  }

  /** Waits until pg_dump copies the big table and an upload is under way. */
  private static void awaitCopyUnderway(String bucket) {
    awaitTrue(() -> copyingBackend().isPresent() && !s3.unfinishedUploads(bucket).isEmpty());
    sleep(Duration.ofMillis(800)); // let some parts reach S3, so the abort has parts to drop
  }

  private static void terminateBackendOnceCopying(String bucket) {
    awaitCopyUnderway(bucket);
    int pid = copyingBackend().orElseThrow();
    postgres.execute("postgres", "SELECT pg_terminate_backend(" + pid + ")");
  }

  private static Optional<Integer> copyingBackend() {
    try (Connection connection = postgres.connect("postgres");
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE datname = ? AND query LIKE 'COPY public.big%'")) {
      statement.setString(1, big);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static Optional<ProcessHandle> pgDumpOf(Process program) {
    return program
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/pg_dump")).orElse(false))
        .findFirst();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 60 s");
      }
      sleep(Duration.ofMillis(50));
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
