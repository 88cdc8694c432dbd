package dev.neonbackup.cli;

import picocli.CommandLine.Option;

/** Options every subcommand has. */
public final class CommonOptions {
  @Option(
      names = "--stacktrace",
      description =
          "On failure, print the full stack trace (also on with Actions debug logging:"
              + " ACTIONS_STEP_DEBUG=true or RUNNER_DEBUG=1).")
  boolean stacktrace;

  /** Implemented by commands that carry {@link CommonOptions}, for the error handler. */
  public interface Carrier {
    CommonOptions common();
  }
}
