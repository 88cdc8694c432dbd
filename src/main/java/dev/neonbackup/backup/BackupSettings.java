package dev.neonbackup.backup;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.StorageSettings;

import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.Compression;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.PgDumpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Everything one backup run needs, validated. */
public record BackupSettings(
    ConnectionString database,
    String databaseName,
    StorageSettings storage,
    Optional<Compression> compression,
    List<String> pgDumpOptions,
    Optional<Path> pgBinDir,
    ArchiveVerifier.Mode verify,
    RetentionPolicy retention,
    boolean retentionDryRun,
    Optional<ConnectionString> restoreCheck,
    DatabaseInputs.Parsed reach) {

  public static final String DATABASE_URL = "database-url";

  /** Validates in the order a user reads the inputs: the database first, then the storage. */
  public static BackupSettings of(
      String databaseUrl,
      Supplier<StorageSettings> storageSettings,
      String compression,
      String pgDumpOptions,
      String pgBinDir,
      String verify,
      RetentionInputs retention,
      String restoreCheckUrl,
      DatabaseInputs reach) {
    ConnectionString connection =
        ConnectionString.parse(Inputs.required(databaseUrl, DATABASE_URL), DATABASE_URL);
    String name =
        connection
            .database()
            .orElseThrow(
                () ->
                    new InputException(
                        DATABASE_URL
                            + " names no database: add it after the host, as in"
                            + " postgresql://user:password@host/neondb"));
    Optional<Path> binDir = Inputs.optional(pgBinDir).map(Path::of);
    binDir.ifPresent(
        dir -> {
          for (String program : List.of("pg_dump", "pg_restore", "psql")) {
            if (!Files.isExecutable(dir.resolve(program))) {
              throw new InputException("pg-bin-dir '" + dir + "' holds no executable " + program);
            }
          }
        });
    Optional<ConnectionString> restoreCheck =
        Inputs.optional(restoreCheckUrl).map(url -> ConnectionString.parse(url, "restore-check-url"));
    DatabaseInputs.Parsed parsedReach = reach.parse();
    restoreCheck.ifPresent(scratch -> refuseSameDatabase(connection, scratch, parsedReach));
    StorageSettings storage = storageSettings.get();
    return new BackupSettings(
        connection,
        name,
        storage,
        Inputs.optional(compression).map(Compression::parse),
        Inputs.optional(pgDumpOptions).map(PgDumpOptions::parse).orElse(List.of()),
        binDir,
        Inputs.optional(verify).map(ArchiveVerifier.Mode::parse).orElse(ArchiveVerifier.Mode.FULL),
        retention.policy(),
        Inputs.bool(retention.dryRun(), "retention-dry-run", false),
        restoreCheck,
        parsedReach);
  }

  /**
   * The restore drill empties its database first: it must never be the database being backed up,
   * nor run for several databases at once.
   */
  private static void refuseSameDatabase(
      ConnectionString source, ConnectionString scratch, DatabaseInputs.Parsed reach) {
    if (!reach.selection().all() && reach.selection().named().size() <= 1) {
      ConnectionString direct = NeonRules.apply(source, false).connection();
      ConnectionString drill = NeonRules.apply(scratch, false).connection();
      String sourceDatabase =
          reach.selection().named().isEmpty()
              ? direct.database().orElse("")
              : reach.selection().named().get(0);
      boolean sameServer =
          direct.parameter("host").orElse("").equalsIgnoreCase(drill.parameter("host").orElse(""))
              && direct.parameter("port").orElse("5432").equals(drill.parameter("port").orElse("5432"));
      if (sameServer && sourceDatabase.equals(drill.database().orElse(""))) {
        throw new InputException(
            "restore-check-url names the database being backed up; the restore drill empties its"
                + " database first, so give it a scratch database (another database, branch or server)");
      }
      return;
    }
    throw new InputException(
        "restore-check-url checks one database; leave it out when databases selects several");
  }

  /** Everything here that must never be printed. */
  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>(storage.secrets());
    database.password().ifPresent(secrets::add);
    restoreCheck.flatMap(ConnectionString::password).ifPresent(secrets::add);
    return secrets;
  }
}
