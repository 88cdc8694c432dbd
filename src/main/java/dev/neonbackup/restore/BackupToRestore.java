package dev.neonbackup.restore;

import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.ArchiveHeader;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import java.util.Optional;

/**
 * The archive a restore reads: a key, or the latest of a database by the timestamp in its key; its
 * size, its manifest if it has one, and the major of the pg_dump that wrote it (from the manifest,
 * else from the archive's own header; 0 when neither tells).
 */
record BackupToRestore(ObjectLocation location, long size, Optional<Manifest> manifest, int dumpMajor) {

  static BackupToRestore find(BackupStore store, Reporter reporter, RestoreSettings settings) {
    ObjectLocation location = store.at(resolveKey(store, settings));
    long size =
        store
            .size(location.key())
            .orElseThrow(
                () -> new FailureException(FailureKind.RESTORE, "no backup at " + location.url()));
    Optional<Manifest> manifest =
        BackupCatalog.readManifest(store, BackupKey.manifestKeyOf(location.key()));
    if (manifest.isEmpty()) {
      reporter.warn("no manifest beside " + location.url() + ": the SHA-256 cannot be checked");
    }
    int dumpMajor =
        manifest
            .map(m -> PgClients.majorOf(m.pgDumpVersion()))
            .orElseGet(() -> majorFromHeader(store, reporter, location));
    return new BackupToRestore(location, size, manifest, dumpMajor);
  }

  private static String resolveKey(BackupStore store, RestoreSettings settings) {
    if (!settings.backupKey().equals(RestoreSettings.LATEST)) {
      return settings.backupKey();
    }
    String prefix = settings.storage().prefix();
    BackupCatalog catalog = BackupCatalog.load(store, prefix);
    String database = settings.database().orElseGet(() -> onlyDatabase(catalog));
    return catalog
        .latest(database)
        .map(entry -> entry.key().key())
        .orElseThrow(
            () ->
                new FailureException(
                    FailureKind.RESTORE,
                    "no backup of database '"
                        + database
                        + "' under s3://"
                        + store.bucket()
                        + "/"
                        + prefix));
  }

  private static String onlyDatabase(BackupCatalog catalog) {
    if (catalog.databases().size() == 1) {
      return catalog.databases().iterator().next();
    }
    throw new InputException(
        "backup-key latest needs the database input: the prefix holds backups of "
            + (catalog.databases().isEmpty() ? "no database" : String.join(", ", catalog.databases())));
  }

  /** Without a manifest, the archive's own header says which pg_dump wrote it (0 if unreadable). */
  private static int majorFromHeader(BackupStore store, Reporter reporter, ObjectLocation location) {
    Optional<ArchiveHeader> header =
        ArchiveHeader.parse(store.readHead(location.key(), ArchiveHeader.READ_BYTES));
    header.ifPresent(
        h ->
            reporter.info(
                "the archive's header: written by pg_dump "
                    + h.pgDumpVersion()
                    + " from PostgreSQL "
                    + h.serverVersion()));
    return header.map(h -> PgClients.majorOf(h.pgDumpVersion())).orElse(0);
  }

  /** Fails when the restored bytes are not the ones the manifest describes. */
  void checkSha(String actual, String consequence) {
    if (manifest.isPresent() && !manifest.get().sha256().equals(actual)) {
      throw new FailureException(
          FailureKind.VERIFY,
          "the object "
              + location.url()
              + " does not match its manifest (SHA-256 "
              + actual
              + ", manifest says "
              + manifest.get().sha256()
              + "): it was changed or damaged in storage; "
              + consequence);
    }
  }
}
