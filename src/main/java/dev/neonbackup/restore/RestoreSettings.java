package dev.neonbackup.restore;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.StorageSettings;

import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.PgRestoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Everything one restore needs, validated. */
public record RestoreSettings(
    StorageSettings storage,
    String backupKey,
    Optional<String> database,
    ConnectionString target,
    List<String> restoreOptions,
    boolean clean,
    int jobs,
    Optional<Path> pgBinDir) {

  public static final String LATEST = "latest";
  public static final String TARGET_URL = "target-url";

  public static RestoreSettings of(
      String backupKey,
      String database,
      String targetUrl,
      String restoreOptions,
      String clean,
      String jobs,
      String pgBinDir,
      Supplier<StorageSettings> storage) {
    String key = Inputs.required(backupKey, "backup-key");
    ConnectionString target =
        ConnectionString.parse(Inputs.required(targetUrl, TARGET_URL), TARGET_URL);
    if (target.database().isEmpty()) {
      throw new InputException(
          TARGET_URL + " names no database: add it after the host, e.g. .../restored");
    }
    int parallel = Inputs.optional(jobs).map(RestoreSettings::parseJobs).orElse(1);
    return new RestoreSettings(
        storage.get(),
        key,
        Inputs.optional(database),
        target,
        Inputs.optional(restoreOptions).map(PgRestoreOptions::parse).orElse(List.of()),
        Inputs.bool(clean, "clean", false),
        parallel,
        Inputs.optional(pgBinDir).map(Path::of));
  }

  /** What the restore drill restores: one archive into a scratch database, cleaned first. */
  public static RestoreSettings forDrill(
      StorageSettings storage,
      String backupKey,
      String database,
      ConnectionString scratch,
      Optional<Path> pgBinDir) {
    return new RestoreSettings(
        storage, backupKey, Optional.of(database), scratch, List.of(), true, 1, pgBinDir);
  }

  private static int parseJobs(String text) {
    if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) < 1) {
      throw new InputException("jobs must be a whole number from 1 to 999 (got '" + text + "')");
    }
    return Integer.parseInt(text);
  }

  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>(storage.secrets());
    target.password().ifPresent(secrets::add);
    return secrets;
  }
}
