package dev.neonbackup.cli;

import dev.neonbackup.actions.ListReport;
import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.s3.S3BackupStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the backups under the prefix, per database, newest first.")
public final class ListCommand extends Subcommand {
  @Mixin StorageOptions storage;

  @Option(names = "--database", paramLabel = "NAME", description = "Only this database's backups.")
  String database;

  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--json",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.Json.class,
      description = "Print a JSON array instead of a table.")
  Boolean json;

  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--include-hidden",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.IncludeHidden.class,
      description = "Also list archives that a delete marker hides in a versioned bucket, with their version ids.")
  Boolean includeHidden;

  public ListCommand(RunContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return summarizingFailure("list", this::list);
  }

  private int list() {
    StorageSettings settings = storage.settings(context);
    boolean asJson = Boolean.TRUE.equals(json);
    context.console().protect(settings.secrets());
    BackupCatalog catalog;
    try (BackupStore store = S3BackupStore.open(settings)) {
      catalog =
          Boolean.TRUE.equals(includeHidden)
              ? BackupCatalog.loadWithHidden(store, settings.prefix())
              : BackupCatalog.load(store, settings.prefix());
    }
    if (Inputs.optional(database).isPresent()) {
      catalog = catalog.onlyDatabase(database.strip());
    }
    context.console().result(asJson ? catalog.json() : catalog.table());
    String where = new ObjectLocation(settings.bucket(), settings.prefix()).url();
    ListReport.publish(catalog, where, context.environment());
    return ExitCode.OK.status();
  }
}
