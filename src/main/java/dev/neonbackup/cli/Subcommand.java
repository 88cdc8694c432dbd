package dev.neonbackup.cli;

import dev.neonbackup.actions.FailureReport;
import dev.neonbackup.report.Redactor;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine.Mixin;

/** What every subcommand has: the run's context, and the options common to all. */
abstract class Subcommand implements Callable<Integer>, CommonOptions.Carrier {
  protected final RunContext context;

  @Mixin CommonOptions common;

  Subcommand(RunContext context) {
    this.context = context;
  }

  /**
   * Runs {@code work}; when it fails, writes the error line that the error handler will print to
   * the step summary as well, redacted the same way, before the failure goes on to that handler.
   */
  protected final int summarizingFailure(String command, IntSupplier work) {
    try {
      return work.getAsInt();
    } catch (RuntimeException e) {
      String line = context.console().redactor().redact(Redactor.redactConnectionStrings(Cli.errorLine(e)));
      FailureReport.publish(command, line, context.environment());
      throw e;
    }
  }

  @Override
  public CommonOptions common() {
    return common;
  }
}
