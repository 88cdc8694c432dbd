package dev.neonbackup.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** What every subcommand has: the run's context, and the options common to all. */
abstract class Subcommand implements Callable<Integer>, CommonOptions.Carrier {
  protected final RunContext context;

  @Mixin CommonOptions common;

  Subcommand(RunContext context) {
    this.context = context;
  }

  @Override
  public CommonOptions common() {
    return common;
  }
}
