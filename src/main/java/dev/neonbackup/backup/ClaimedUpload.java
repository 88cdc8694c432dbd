package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.Upload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The upload of one archive, whose key is claimed ({@link KeyClaim}: a HEAD, the multipart upload's
 * creation and a listing) on a thread of its own while pg_dump starts, so the dump waits for no S3
 * round trip. Until the claim is done, the first {@value #EARLY_BYTES} bytes wait in memory (the
 * AWS SDK's set-up alone takes about a second of CPU); a write beyond them waits for the claim,
 * and a failed claim is the failure of the write or of {@link #complete} that needs it. Closed
 * before the claim finished, it waits for the claim and aborts the upload the claim made.
 */
final class ClaimedUpload extends Upload {
  static final int EARLY_BYTES = 8 * 1024 * 1024;

  private final BackupStore store;
  private final CompletableFuture<KeyClaim.Claimed> claim;
  /** What was written before the claim was done; null once handed to the upload. */
  private ByteArrayOutputStream early = new ByteArrayOutputStream();

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
    if (early != null && !claim.isDone() && early.size() + length <= EARLY_BYTES) {
      early.write(data, offset, length);
      return;
    }
    upload().write(data, offset, length);
  }

  @Override
  public void complete() throws IOException {
    upload().complete();
  }

  /** The claimed upload, once it holds what waited in memory. */
  private Upload upload() throws IOException {
    Upload upload = claimed().upload();
    if (early != null) {
      ByteArrayOutputStream held = early;
      early = null;
      held.writeTo(upload);
    }
    return upload;
  }

  /**
   * Waits for a claim still under way, then aborts the upload it made: the process may exit as
   * soon as this returns, and an upload the claim made afterwards would stay open in the bucket.
   * A claim that failed made no upload.
   */
  @Override
  public void abort() {
    early = null;
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
