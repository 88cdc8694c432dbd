package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.RunningProgram;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the cancellation tests share: the program with its own tmpdir, the signal's checks, sessions. */
final class CancelledRuns {
  static final int SIGINT_STATUS = 130;
  static final int SIGTERM_STATUS = 143;
  private static final Duration GRACE = Duration.ofSeconds(5);

  private CancelledRuns() {}

  /** The program under Actions, with the bucket and a java.io.tmpdir of its own. */
  static ProgramRun storage(S3Server s3, String bucket) {
    ProgramRun program = ProgramRun.inTempDir().storage(s3, bucket).env("GITHUB_ACTIONS", "true");
    try {
      Files.createDirectories(tmp(program));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return program.jvmOption("-Djava.io.tmpdir=" + tmp(program));
  }

  static Path tmp(ProgramRun program) {
    return program.workDir().resolve("tmp");
  }

  /**
   * The names directly in {@code directory}, read without looking into them: safe to poll while
   * the program creates and deletes files there.
   */
  static List<String> namesIn(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> filesIn(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(path -> !path.equals(directory)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends the signal(s), and checks the exit status, the time taken, the one error annotation
   * saying the run was cancelled, and that every log group is closed.
   */
  static ProgramRun.Result signal(RunningProgram running, int status, Runnable send) {
    long sent = System.nanoTime();
    send.run();
    ProgramRun.Result result = running.await(Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - sent);
    assertEquals(status, result.exitCode(), result::describe);
    assertTrue(took.compareTo(GRACE) < 0, "took " + took + "\n" + result.describe());
    List<String> errors =
        result.stdout().lines().filter(line -> line.startsWith("::error ")).toList();
    assertEquals(1, errors.size(), result::describe);
    assertTrue(
        errors.get(0).matches("::error title=(Backup|Restore|List) cancelled::the run was cancelled by a signal.*"),
        result::describe);
    assertEquals(List.of(), result.plainErrorsAndWarnings(), result::describe);
    long opened = result.stdout().lines().filter(line -> line.startsWith("::group::")).count();
    long closed = result.stdout().lines().filter(line -> line.equals("::endgroup::")).count();
    assertEquals(opened, closed, "every log group is closed\n" + result.describe());
    return result;
  }

  /**
   * Nothing of the run is left: no process, no object and no unfinished upload in {@code bucket}
   * (unless null), no file in its tmpdir, no session on the server, no secret in its output.
   */
  static void assertLeftNothing(
      PostgresServer postgres, S3Server s3, ProgramRun program, RunningProgram running,
      ProgramRun.Result result, String bucket) {
    for (ProcessHandle child : running.childrenSeen()) {
      // A process killed at the very end may still be on its way out: give it a moment.
      child.onExit().completeOnTimeout(child, 2, TimeUnit.SECONDS).join();
      assertFalse(
          child.isAlive(), "a process of the run is left: " + child.info() + "\n" + result.describe());
    }
    if (bucket != null) {
      assertEquals(List.of(), s3.keys(bucket, ""), "no object\n" + result.describe());
      assertEquals(
          List.of(), s3.unfinishedUploads(bucket), "no unfinished upload\n" + result.describe());
    }
    assertEquals(List.of(), filesIn(tmp(program)), "no temporary file left\n" + result.describe());
    assertSessionsEnd(postgres);
    String summary = result.stepSummary();
    assertTrue(
        summary.contains("### Neon backup action cancelled\n\n```text\nthe run was cancelled by a signal; "),
        "the summary says the run was cancelled and what was cleaned up\n" + result.describe());
    assertFalse(summary.contains("failed\n"), "no second summary of the failure\n" + result.describe());
    String output = result.outputExceptMasks();
    assertFalse(output.contains(postgres.password()), result::describe);
    assertFalse(output.contains(s3.secretAccessKey()), result::describe);
  }

  /** The server ends a cancelled session at once; give it a moment to notice. */
  static void assertSessionsEnd(PostgresServer postgres) {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (sessions(postgres, null) > 0 && System.nanoTime() < deadline) {
      sleep(100);
    }
    assertEquals(0, sessions(postgres, null), "no session of the run connected to the database");
  }

  /** Sessions of the PostgreSQL clients; only those waiting on {@code waitType} if given. */
  static int sessions(PostgresServer postgres, String waitType) {
    String sql =
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND application_name IN ('pg_dump', 'pg_dumpall', 'pg_restore', 'psql')"
            + (waitType == null ? "" : " AND wait_event_type = ?");
    return count(postgres, sql, waitType);
  }

  static int sessionsOf(PostgresServer postgres, String database) {
    return count(
        postgres,
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = ?",
        database);
  }

  private static int count(PostgresServer postgres, String sql, String parameter) {
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

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
