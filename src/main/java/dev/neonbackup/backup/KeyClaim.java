package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.PendingUpload;
import dev.neonbackup.store.Upload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Opens the upload of a run at a key nobody else has: not an existing object, and not the key of
 * another run that started uploading first. Two runs for the same database in the same second both
 * see each other's uploads; the one that started later (by the store's clock, then by upload id)
 * gives the key up and takes the next second. Publishing also refuses to replace, the last guard.
 * The claim covers both spellings of a database and second, {@code .dump} and {@code .dump.age}: an
 * encrypted run and one in the clear never both publish the same second.
 */
final class KeyClaim {
  private static final int MAX_ATTEMPTS = 60;

  private KeyClaim() {}

  record Claimed(BackupKey key, Upload upload) {}

  static Claimed open(BackupStore store, BackupKey first) {
    BackupKey key = first;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, key = key.nextSecond()) {
      BackupKey sibling = key.withEncryption(!key.encrypted());
      if (store.exists(key.key()) || store.exists(sibling.key())) {
        continue;
      }
      Upload upload = store.startUpload(key.key());
      boolean lost;
      try {
        lost = startedAfterAnother(pendingOnEither(store, key, sibling), upload.id());
      } catch (RuntimeException e) {
        upload.abort();
        throw e;
      }
      if (!lost) {
        return new Claimed(key, upload);
      }
      upload.abort();
    }
    throw new StorageException("no free key within a minute of " + first.key(), null);
  }

  /** The unfinished uploads to either spelling of the key, oldest first, by upload id on a tie. */
  private static List<PendingUpload> pendingOnEither(BackupStore store, BackupKey key, BackupKey sibling) {
    List<PendingUpload> both = new ArrayList<>(store.pendingUploads(key.key()));
    both.addAll(store.pendingUploads(sibling.key()));
    both.sort(Comparator.comparing(PendingUpload::initiated).thenComparing(PendingUpload::id));
    return both;
  }

  /**
   * Whether another unfinished upload to the same key began before ours. Both runs compute the
   * same answer when each sees the other. A run that listed before the other's upload existed
   * keeps the key without knowing; if the later one then wins the tie-break too, publishing
   * refuses to replace and it fails (exit 5) rather than overwrite.
   */
  static boolean startedAfterAnother(List<PendingUpload> oldestFirst, String ours) {
    return !oldestFirst.isEmpty() && !oldestFirst.get(0).id().equals(ours);
  }
}
