package dev.neonbackup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "neon-backup-action",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    subcommands = {
      BackupCommand.class, ListCommand.class, RestoreCommand.class, CheckCommand.class, HelpCommand.class
    },
    description = {
      "Back up a Neon Postgres database into your own S3 bucket.",
      "Every option can also come from the Actions input of the same name (INPUT_<NAME>).",
      "Without a subcommand, runs the one the 'command' input names (INPUT_COMMAND), else backup."
    })
public final class RootCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
