package dev.neonbackup.cli;

import dev.neonbackup.backup.RetentionInputs;
import picocli.CommandLine.Option;

/** Retention after a successful backup; no option set means nothing is ever deleted. */
public final class RetentionOptions {
  @Option(
      names = "--keep-last",
      paramLabel = "N",
      converter = Converters.KeepLast.class,
      description = "Keep the N newest backups of the database.")
  Integer keepLast;

  @Option(
      names = "--keep-days",
      paramLabel = "D",
      converter = Converters.KeepDays.class,
      description = "Keep every backup of the last D days.")
  Integer keepDays;

  @Option(
      names = "--keep-daily",
      paramLabel = "N",
      converter = Converters.KeepDaily.class,
      description = "Keep the newest backup of each of the last N days that have one (UTC).")
  Integer keepDaily;

  @Option(
      names = "--keep-weekly",
      paramLabel = "N",
      converter = Converters.KeepWeekly.class,
      description = "Keep the newest backup of each of the last N ISO weeks that have one.")
  Integer keepWeekly;

  @Option(
      names = "--keep-monthly",
      paramLabel = "N",
      converter = Converters.KeepMonthly.class,
      description = "Keep the newest backup of each of the last N months that have one.")
  Integer keepMonthly;

  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--retention-dry-run",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.RetentionDryRun.class,
      description = "Only list what retention would delete.")
  Boolean dryRun;

  RetentionInputs inputs() {
    return RetentionInputs.builder()
        .keepLast(keepLast)
        .keepDays(keepDays)
        .keepDaily(keepDaily)
        .keepWeekly(keepWeekly)
        .keepMonthly(keepMonthly)
        .dryRun(dryRun)
        .build();
  }
}
