package dev.neonbackup.cli;

import dev.neonbackup.actions.Console;
import dev.neonbackup.actions.FailureReport;
import dev.neonbackup.shutdown.CancelOutcome;
import dev.neonbackup.shutdown.ShutdownPath;
import java.time.Duration;

/**
 * SIGINT and SIGTERM (a cancelled workflow run: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after
 * that) run the JVM's exit hooks, and the JVM then ends with 130 or 143. The hook releases what
 * the run holds through the {@link ShutdownPath} and prints one error line saying so, within about
 * five seconds: each step that talks to the network gets one try and a short budget.
 */
final class Cancellation {
  /**
   * How long a signal waits for an archive being published to get its manifest. While one is,
   * pg_dump has already ended and its upload is completing, so the later steps are short.
   */
  static final Duration PUBLISH_WAIT = Duration.ofSeconds(3);
  /** How long aborting the unfinished uploads may take. */
  static final Duration NETWORK_BUDGET = Duration.ofSeconds(2);

  private Cancellation() {}

  static void install(Console console, java.util.Map<String, String> environment) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> onExit(console, environment), "cancel"));
  }

  private static void onExit(Console console, java.util.Map<String, String> environment) {
    ShutdownPath path = ShutdownPath.process();
    if (path.exitingOnItsOwn()) {
      return;
    }
    CancelOutcome outcome = path.cancel(PUBLISH_WAIT, NETWORK_BUDGET);
    String line = "the run was cancelled by a signal; " + outcome.describe();
    console.cancelled(line);
    FailureReport.publishCancelled(console.redactor().redact(line), environment);
  }
}
