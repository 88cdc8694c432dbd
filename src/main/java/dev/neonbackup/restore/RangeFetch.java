package dev.neonbackup.restore;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.ObjectStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads one range of an object into a file at its offset, retrying it alone: after a retryable
 * refusal (a 5xx), a dropped connection or a body that ended short, the rest of the range is asked
 * for again, up to a bounded number of attempts with a growing pause. Thread-safe: one instance
 * serves every range of a download; {@link #stop()} drops the connections still open.
 */
final class RangeFetch {
  private static final int COPY_BUFFER = 256 * 1024;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

  private final BackupStore store;
  private final ObjectLocation location;
  private final FileChannel file;
  private final int attempts;
  private final Duration firstBackoff;
  private final Consumer<String> warn;
  private final Set<ObjectStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  RangeFetch(
      BackupStore store,
      ObjectLocation location,
      FileChannel file,
      int attempts,
      Duration firstBackoff,
      Consumer<String> warn) {
    this.store = store;
    this.location = location;
    this.file = file;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.warn = warn;
  }

  /**
   * Writes the range into the file; throws a StorageException naming the object when it cannot,
   * an UncheckedIOException when the file cannot be written.
   */
  void fetch(ByteRange range) {
    ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
    long copied = 0;
    String lastFailure = "";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        pause(attempt);
        checkNotStopped(range);
      }
      ByteRange rest = new ByteRange(range.offset() + copied, range.length() - copied);
      Copy copy = new Copy(rest);
      try {
        copy.run(buffer);
      } catch (StorageException e) {
        if (!e.retryable()) {
          throw failed(range, e.getMessage(), e);
        }
        lastFailure = e.getMessage();
      } catch (IOException e) {
        lastFailure = "reading the body failed: " + e.getMessage();
      }
      copied += copy.copied;
      if (copied == range.length()) {
        return;
      }
      if (lastFailure.isEmpty() || copy.endedShort) {
        lastFailure = "the body ended after " + copied + " of " + range.length() + " bytes";
      }
      checkNotStopped(range);
      if (attempt < attempts) {
        warn.accept(
            "retrying " + range + " of " + location.url() + " (attempt " + (attempt + 1) + " of "
                + attempts + "): " + lastFailure);
      }
    }
    throw failed(range, "failed after " + attempts + " attempts; the last: " + lastFailure, null);
  }

  /** Stops every range: no new attempt starts, open connections are dropped. */
  void stop() {
    stopped = true;
    open.forEach(ObjectStream::abort);
  }

  /** One request for what is left of a range. */
  private final class Copy {
    private final ByteRange rest;
    long copied;
    boolean endedShort;

    Copy(ByteRange rest) {
      this.rest = rest;
    }

    void run(ByteBuffer buffer) throws IOException {
      try (ObjectStream in = store.openRange(location.key(), rest)) {
        open.add(in);
        try {
          copy(in, buffer);
        } finally {
          open.remove(in);
        }
      }
    }

    private void copy(ObjectStream in, ByteBuffer buffer) throws IOException {
      while (copied < rest.length() && !stopped) {
        int want = (int) Math.min(buffer.capacity(), rest.length() - copied);
        int read = in.read(buffer.array(), 0, want);
        if (read < 0) {
          endedShort = true;
          if (copied < rest.length()) {
            in.abort();
          }
          return;
        }
        write(buffer, read, rest.offset() + copied);
        copied += read;
      }
      if (copied < rest.length()) {
        in.abort(); // stopped: drop the connection instead of reading the rest
      }
    }
  }

  private void write(ByteBuffer buffer, int length, long position) {
    buffer.clear().limit(length);
    try {
      while (buffer.hasRemaining()) {
        position += file.write(buffer, position);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the downloaded archive failed: " + e.getMessage(), e);
    }
  }

  private void pause(int attempt) {
    long millis = Math.min(MAX_BACKOFF.toMillis(), firstBackoff.toMillis() << (attempt - 2));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void checkNotStopped(ByteRange range) {
    if (stopped) {
      throw failed(range, "stopped", null);
    }
  }

  private StorageException failed(ByteRange range, String why, Throwable cause) {
    return new StorageException(
        "could not download " + location.url() + ": " + range + " " + why, cause);
  }
}
