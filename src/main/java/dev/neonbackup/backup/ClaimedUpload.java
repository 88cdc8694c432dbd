package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.Upload;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The upload of one archive, whose key is claimed ({@link KeyClaim}: a HEAD, the multipart upload's
 * creation and a listing) on a thread of its own while pg_dump starts, so the dump waits for no S3
 * round trip before it starts. The first write waits for the claim (meanwhile pg_dump fills its
 * pipe), and a failed claim is the failure of that write or of {@link #complete}. Bytes are not
 * held in memory for the claim: 8 MiB of them cost 16 MiB of peak RSS with the image's flags for
 * at most a fifth of a second. Closed before the claim finished, it waits for the claim and
 * aborts the upload the claim made.
 */
final class ClaimedUpload extends Upload {
  private final BackupStore store;
  private final CompletableFuture<KeyClaim.Claimed> claim;

  private ClaimedUpload(BackupStore store, CompletableFuture<KeyClaim.Claimed> claim) {
    this.store = store;
    this.claim = claim;
  }

  /** Starts claiming {@code first} (or the next free second) on {@code executor}. */
  static ClaimedUpload start(BackupStore store, BackupKey first, Executor executor) {
    return new ClaimedUpload(
        store, CompletableFuture.supplyAsync(() -> KeyClaim.open(store, first), executor));
  }

  /** A daemon thread per claim: it must not keep a cancelled process alive. */
  static Executor ownThread() {
    return task -> {
      Thread thread = new Thread(task, "key-claim");
      thread.setDaemon(true);
      thread.start();
    };
  }

  /** The claimed key; waits for the claim. */
  BackupKey key() {
    return claimed().key();
  }

  ObjectLocation location() {
    return store.at(key().key());
  }

  @Override
  public String id() {
    return claimed().upload().id();
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    claimed().upload().write(data, offset, length);
  }

  @Override
  public void complete() throws IOException {
    claimed().upload().complete();
  }

  /**
   * Waits for a claim still under way, then aborts the upload it made: the process may exit as
   * soon as this returns, and an upload the claim made afterwards would stay open in the bucket.
   * A claim that failed made no upload.
   */
  @Override
  public void abort() {
    KeyClaim.Claimed claimed;
    try {
      claimed = claim.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return;
    }
    claimed.upload().abort();
  }

  private KeyClaim.Claimed claimed() {
    try {
      return claim.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure; // a FailureException, or the CancelledException of a signal
      }
      throw new FailureException(
          FailureKind.INTERNAL, "claiming the key failed: " + e.getCause(), e.getCause());
    }
  }
}
