package dev.neonbackup.restore;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.StoredObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A restore of one version of an archive, given by {@code version-id}: the way back from a plain
 * delete in a versioned bucket, which hides the archive behind a delete marker without removing it
 * ({@code list --include-hidden} shows such archives with their version ids). The store is read at
 * that version for the archive, and at the newest version of its manifest when a delete marker
 * hides the manifest too.
 */
public final class HiddenVersion {
  public static final String INPUT = "version-id";

  private HiddenVersion() {}

  /** {@code store} reading {@code backupKey} at {@code versionId}; the store itself without one. */
  public static BackupStore view(BackupStore store, String backupKey, String versionId) {
    if (versionId == null || versionId.isBlank()) {
      return store;
    }
    String version = versionId.strip();
    if (backupKey == null || backupKey.isBlank() || backupKey.strip().equals(RestoreSettings.LATEST)) {
      throw new InputException(
          INPUT + " needs backup-key set to the archive's key (list --include-hidden shows both)");
    }
    if (!version.matches("[A-Za-z0-9._+=/-]{1,1024}")) {
      throw new InputException(INPUT + " is not an S3 version id (got '" + version + "')");
    }
    String key = backupKey.strip();
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put(key, version);
    String manifestKey = BackupKey.manifestKeyOf(key);
    Optional<StoredObject> hiddenManifest;
    try {
      hiddenManifest =
          store.hidden(manifestKey).stream().filter(o -> o.key().equals(manifestKey)).findFirst();
    } catch (StorageException e) {
      // Not allowed to list versions: the archive's version can still be read, with the manifest
      // that is visible, if any (without one, the archive's own header and table are checked).
      hiddenManifest = Optional.empty();
    }
    hiddenManifest.ifPresent(m -> versions.put(manifestKey, m.versionId().orElseThrow()));
    return store.pinned(versions);
  }
}
