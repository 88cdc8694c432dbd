package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * Checks an archive while it streams: the same bytes that go to S3 are fed to a concurrent
 * pg_restore of the same major as the pg_dump that wrote them. {@code full} restores into {@code
 * /dev/null}, reading every entry and decompressing every data block; {@code toc} only reads the
 * table of contents ({@code pg_restore --list}) and stops reading after it, which is expected.
 */
public final class ArchiveVerifier implements AutoCloseable {
  /** The {@code verify} input. */
  public enum Mode {
    FULL,
    TOC,
    NONE;

    public static final String INPUT = "verify";

    public static Mode parse(String text) {
      switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "full":
          return FULL;
        case "toc":
          return TOC;
        case "none":
          return NONE;
        default:
          throw new InputException(INPUT + " '" + text + "' is not one of: full, toc, none");
      }
    }

    public String inputValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Buffers waiting for pg_restore (4 MiB in all, reused for the whole archive): enough slack that
   * a brief stall does not stall pg_dump. A chunk is a pipe's capacity.
   */
  private static final int QUEUE_CHUNKS = 64;
  private static final int CHUNK_BYTES = 64 * 1024;

  private final Mode mode;
  private final ClientProcess pgRestore;
  private final ChunkQueue queue = new ChunkQueue(QUEUE_CHUNKS, CHUNK_BYTES);
  private final Thread feeder;
  private volatile boolean stoppedReading;

  private ArchiveVerifier(Mode mode, ClientProcess pgRestore) {
    this.mode = mode;
    this.pgRestore = pgRestore;
    this.feeder = new Thread(this::feed, "verifier-feed");
    feeder.setDaemon(true);
    feeder.start();
  }

  /** Starts pg_restore reading from its stdin; {@link #NONE} has no verifier. */
  public static ArchiveVerifier start(Mode mode, PgInstallation client, Redactor redactor) {
    if (mode == Mode.NONE) {
      throw new IllegalArgumentException("no verifier for verify: none");
    }
    List<String> arguments =
        mode == Mode.FULL ? List.of("--file=/dev/null") : List.of("--list", "--file=/dev/null");
    return new ArchiveVerifier(
        mode, ClientProcess.start(client, "pg_restore", arguments, null, redactor, line -> {}));
  }

  /**
   * Hands bytes to pg_restore, through a small queue drained by a thread of its own, so that the
   * verifier's pace does not set pg_dump's. When pg_restore has stopped reading (it failed, or
   * {@code toc} has read what it needs), the bytes are dropped; in {@code full} mode the next write
   * then fails with pg_restore's verdict, and {@link #finish} always tells.
   */
  public void write(byte[] data, int offset, int length) {
    if (stoppedReading) {
      if (mode == Mode.FULL) {
        throw failed(awaitExit());
      }
      return;
    }
    try {
      queue.put(data, offset, length);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted while verifying", e);
    }
  }

  private void feed() {
    try (OutputStream input = pgRestore.stdin()) {
      for (ChunkQueue.Chunk chunk = queue.take(); chunk != null; chunk = queue.take()) {
        if (!stoppedReading) {
          try {
            input.write(chunk.bytes(), 0, chunk.length());
          } catch (IOException e) {
            stoppedReading = true; // keep draining so writers never wait for a buffer
          }
        }
        queue.recycle(chunk);
      }
    } catch (IOException e) {
      stoppedReading = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether pg_restore has stopped reading: in {@code toc} mode, once it has the whole TOC. */
  public boolean stoppedReading() {
    return stoppedReading;
  }

  /** The verifier's input as a stream, for a tee. */
  public OutputStream asOutputStream() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        ArchiveVerifier.this.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] data, int offset, int length) {
        ArchiveVerifier.this.write(data, offset, length);
      }
    };
  }

  /** Ends the input and waits for pg_restore's verdict; throws if the archive is damaged. */
  public void finish() {
    try {
      queue.end();
      feeder.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted while verifying", e);
    }
    int status = awaitExit();
    if (status != 0) {
      throw failed(status);
    }
  }

  @Override
  public void close() {
    feeder.interrupt();
    pgRestore.close();
  }

  private int awaitExit() {
    try {
      return pgRestore.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted while verifying", e);
    }
  }

  private FailureException failed(int status) {
    return new FailureException(
        FailureKind.VERIFY,
        "the archive failed verification (pg_restore "
            + (mode == Mode.FULL ? "reading every entry" : "--list")
            + " "
            + ClientProcess.describeExit(status)
            + "): "
            + pgRestore.stderrTail());
  }
}
