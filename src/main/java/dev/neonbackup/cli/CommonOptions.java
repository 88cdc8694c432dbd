package dev.neonbackup.cli;

import picocli.CommandLine.Option;

/** Options every subcommand has. */
public final class CommonOptions {
  @Option(
      names = "--stacktrace",
      description = "On failure, print the full stack trace (also on when ACTIONS_STEP_DEBUG is true).")
  boolean stacktrace;

  /** Implemented by commands that carry {@link CommonOptions}, for the error handler. */
  public interface Carrier {
    CommonOptions common();
  }
}
