package dev.neonbackup.cli;

import dev.neonbackup.actions.CheckReport;
import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.check.FreshnessCheck;
import dev.neonbackup.check.FreshnessReport;
import dev.neonbackup.check.FreshnessText;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.store.s3.S3BackupStore;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Check that each database's newest backup is recent (max-age) and did not shrink too much"
            + " (max-shrink); exit status 10 names every problem.")
public final class CheckCommand extends Subcommand {
  @Mixin StorageOptions storage;

  @Option(
      names = "--databases",
      paramLabel = "LIST",
      description = "Comma-separated databases to check; each must have a backup (default: every one under the prefix).")
  String databases;

  @Option(
      names = "--max-age",
      paramLabel = "AGE",
      converter = Converters.MaxAge.class,
      description = "How old the newest backup may be, by the stamp in its key: <number><s|m|h|d> (default 26h).")
  Duration maxAge;

  @Option(
      names = "--max-shrink",
      paramLabel = "PERCENT",
      converter = Converters.MaxShrink.class,
      description = "How many percent smaller than the one before the newest backup may be, 0-100 (default 50).")
  Integer maxShrink;

  public CheckCommand(RunContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return summarizingFailure("check", this::check);
  }

  private int check() {
    StorageSettings settings = storage.settings(context);
    CheckLimits limits = CheckLimits.of(maxAge, maxShrink);
    List<String> named = DatabaseSelection.parse(databases, null).named();
    context.console().protect(settings.secrets());
    FreshnessReport report;
    try (BackupStore store = S3BackupStore.open(settings)) {
      BackupCatalog catalog = BackupCatalog.load(store, settings.prefix());
      String where = new ObjectLocation(settings.bucket(), settings.prefix()).url();
      report = new FreshnessCheck(limits, context.clock()).check(where, catalog.entries(), named);
    }
    context.console().result(FreshnessText.table(report));
    CheckReport.publish(report, limits, context.environment());
    summarized(); // its problems are in the table, exit 10 adds nothing
    report.problemLines().forEach(context.console()::error);
    return report.ok() ? ExitCode.OK.status() : ExitCode.CHECK.status();
  }
}
