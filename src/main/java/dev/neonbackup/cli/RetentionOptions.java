package dev.neonbackup.cli;

import dev.neonbackup.backup.RetentionInputs;
import picocli.CommandLine.Option;

/** Retention after a successful backup; no option set means nothing is ever deleted. */
public final class RetentionOptions {
  @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest backups of the database.")
  String keepLast;

  @Option(names = "--keep-days", paramLabel = "D", description = "Keep every backup of the last D days.")
  String keepDays;

  @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest backup of each of the last N days that have one (UTC).")
  String keepDaily;

  @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest backup of each of the last N ISO weeks that have one.")
  String keepWeekly;

  @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest backup of each of the last N months that have one.")
  String keepMonthly;

  @Option(
      names = "--retention-dry-run",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Only list what retention would delete.")
  String dryRun;

  RetentionInputs inputs() {
    return new RetentionInputs(keepLast, keepDays, keepDaily, keepWeekly, keepMonthly, dryRun);
  }
}
