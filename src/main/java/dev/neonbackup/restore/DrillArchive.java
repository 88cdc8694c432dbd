package dev.neonbackup.restore;

import dev.neonbackup.crypto.AgeIdentity;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.store.StorageSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The archive a restore drill restores, before the drill has a database to restore it into. */
public record DrillArchive(
    StorageSettings storage,
    String backupKey,
    String database,
    Optional<Path> pgBinDir,
    Optional<AgeIdentity> identity) {

  /** The restore of this archive into {@code target}, with one job and {@code options}. */
  RestoreSettings into(ConnectionString target, List<String> options) {
    return new RestoreSettings(
        storage,
        backupKey,
        Optional.of(database),
        Optional.of(target),
        options,
        false,
        1,
        pgBinDir,
        RestoreSettings.Source.none(),
        identity,
        Optional.empty());
  }
}
