package dev.neonbackup.restore;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.store.ObjectLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Downloads an object into a file with several ranged reads at once, each written at its offset
 * and retried on its own. Returns the SHA-256 of the file's bytes: each range is read back from
 * the file and hashed, in order, as soon as every range before it is in, so hashing overlaps the
 * download and what is hashed is what pg_restore will read.
 */
final class RangedDownload {
  static final int ATTEMPTS_PER_RANGE = 4;
  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final int HASH_BUFFER = 1024 * 1024;

  private final BackupStore store;
  private final int streams;
  private final long rangeSize;
  private final int attempts;
  private final Duration firstBackoff;
  private final Consumer<String> warn;

  /** {@code warn} hears of every retry. */
  RangedDownload(
      BackupStore store,
      int streams,
      long rangeSize,
      int attempts,
      Duration firstBackoff,
      Consumer<String> warn) {
    this.store = store;
    this.streams = streams;
    this.rangeSize = rangeSize;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.warn = warn;
  }

  /**
   * Fills {@code file} with the {@code size} bytes of the object and returns their SHA-256. A
   * range that still fails after its attempts fails the download with a StorageException naming
   * the object; the other ranges are stopped.
   */
  String download(ObjectLocation location, long size, FileChannel file) throws IOException {
    List<ByteRange> ranges = RangePlan.split(size, rangeSize);
    MessageDigest sha256 = sha256();
    if (ranges.isEmpty()) {
      return HexFormat.of().formatHex(sha256.digest());
    }
    RangeFetch fetch = new RangeFetch(store, location, file, attempts, firstBackoff, warn);
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(streams, ranges.size()), RangedDownload::thread);
    CompletableFuture<Void> firstFailure = new CompletableFuture<>();
    try {
      List<CompletableFuture<Void>> fetched = new ArrayList<>();
      for (ByteRange range : ranges) {
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> fetch.fetch(range), pool);
        one.whenComplete(
            (done, failure) -> {
              if (failure != null) {
                firstFailure.completeExceptionally(failure);
              }
            });
        fetched.add(one);
      }
      ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
      for (int i = 0; i < ranges.size(); i++) {
        await(CompletableFuture.anyOf(fetched.get(i), firstFailure));
        hash(file, ranges.get(i), sha256, buffer);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } finally {
      fetch.stop();
      pool.shutdownNow();
      awaitQuietly(pool);
    }
  }

  /** Waits for a range; a range's failure is thrown as it was, a local write failure as itself. */
  private static void await(CompletableFuture<?> future) throws IOException {
    try {
      future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StorageException) {
        throw (StorageException) cause;
      }
      if (cause instanceof UncheckedIOException) {
        throw ((UncheckedIOException) cause).getCause();
      }
      throw e;
    }
  }

  private static void hash(FileChannel file, ByteRange range, MessageDigest sha256, ByteBuffer buffer)
      throws IOException {
    long position = range.offset();
    while (position < range.end()) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), range.end() - position));
      int read = file.read(buffer, position);
      if (read < 0) {
        throw new IOException("the downloaded file ends at byte " + position);
      }
      sha256.update(buffer.array(), 0, read);
      position += read;
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread thread(Runnable runnable) {
    Thread thread = new Thread(runnable, "ranged-download");
    thread.setDaemon(true);
    return thread;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
