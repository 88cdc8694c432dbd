package dev.neonbackup.cli;

import dev.neonbackup.actions.FailureReport;
import dev.neonbackup.report.Redactor;
import dev.neonbackup.shutdown.ShutdownPath;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine.Mixin;

/** What every subcommand has: the run's context, and the options common to all. */
abstract class Subcommand implements Callable<Integer>, CommonOptions.Carrier {
  protected final RunContext context;

  @Mixin CommonOptions common;

  /** Set once the command wrote its own summary of this run, failures included. */
  private boolean summarized;

  Subcommand(RunContext context) {
    this.context = context;
  }

  /**
   * Runs {@code work}; when it fails, writes the error line that the error handler will print to
   * the step summary as well, redacted the same way, before the failure goes on to that handler;
   * unless the command already summarized the run ({@link #summarized()}), failures and all.
   */
  protected final int summarizingFailure(String command, IntSupplier work) {
    try {
      return work.getAsInt();
    } catch (RuntimeException e) {
      if (summarized || ShutdownPath.process().cancelling()) {
        throw e; // a signal's own summary says what happened
      }
      String line = context.console().redactor().redact(Redactor.redactConnectionStrings(Cli.errorLine(e)));
      FailureReport.publish(command, line, context.environment());
      throw e;
    }
  }

  /** The command wrote the run's summary itself: a failure from here on adds no second one. */
  protected final void summarized() {
    summarized = true;
  }

  @Override
  public CommonOptions common() {
    return common;
  }
}
