package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.ClientProcess;
import dev.neonbackup.postgres.DigestingOutputStream;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServiceFile;
import dev.neonbackup.report.ProgressLine;
import dev.neonbackup.report.ProgressTicker;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.util.HexFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds an archive to pg_restore: streamed from the bucket into its stdin, or, for a parallel
 * restore (which needs a seekable file), downloaded to a private temporary file first. Returns the
 * SHA-256 of what pg_restore read, checked against the manifest: before pg_restore starts when
 * downloading, at the end of the stream otherwise.
 */
final class PgRestoreFeed {
  private static final int COPY_BUFFER = 256 * 1024;

  private final Reporter reporter;
  private final BackupStore store;
  private final java.time.Duration progressInterval;
  private RestoredTables tables = new RestoredTables(line -> {});

  PgRestoreFeed(Reporter reporter, BackupStore store, java.time.Duration progressInterval) {
    this.reporter = reporter;
    this.store = store;
    this.progressInterval = progressInterval;
  }

  String stream(RestoreSettings settings, PgInstallation client, BackupToRestore backup) {
    return runPgRestore(
        settings,
        client,
        null,
        "reading " + backup.location().url(),
        pgRestore -> {
          try (ObjectStream object = store.open(backup.location().key());
              CountingInput counted = new CountingInput(object);
              ProgressTicker progress =
                  ProgressTicker.start(
                      reporter, counted::count, progressInterval, ProgressLine.ofTotal(backup.size()))) {
            return feed(pgRestore, object, counted, backup);
          }
        });
  }

  /**
   * Streams the object into pg_restore, decrypted on the way when it is encrypted; the SHA-256s
   * (of the object, and of the archive inside) are checked once every byte went in. A chunk that
   * fails age authentication stops pg_restore at once.
   */
  private static String feed(
      ClientProcess pgRestore, ObjectStream object, InputStream counted, BackupToRestore backup)
      throws IOException, InterruptedException {
    DigestingOutputStream input = new DigestingOutputStream(pgRestore.stdin());
    DigestInputStream stored = new DigestInputStream(counted, DigestingOutputStream.newSha256());
    boolean fedWhole = false;
    try {
      InputStream archive = backup.decryption().map(d -> d.open(stored)).orElse(stored);
      fedWhole = copy(archive, input) && stored.read() < 0;
    } catch (FailureException e) {
      throw e.kind() == FailureKind.VERIFY
          ? new FailureException(
              FailureKind.VERIFY, e.getMessage() + "; pg_restore was stopped part-way, so treat"
                  + " the target database as suspect", e)
          : e;
    } finally {
      if (!fedWhole) {
        object.abort(); // pg_restore stopped: drop the connection instead of reading the rest
      }
    }
    try {
      pgRestore.stdin().close();
    } catch (IOException e) {
      fedWhole = false;
    }
    int status = pgRestore.waitFor();
    String sha256 = fedWhole ? HexFormat.of().formatHex(stored.getMessageDigest().digest()) : null;
    if (sha256 != null) {
      backup.checkSha(sha256, "the restore has run; treat the database as suspect");
      backup.checkPlaintextSha(input.sha256Hex(), "the restore has run; treat the database as suspect");
    }
    if (status != 0) {
      throw restoreFailed(status, pgRestore);
    }
    return sha256;
  }

  String download(RestoreSettings settings, PgInstallation client, BackupToRestore backup) {
    try (DownloadedArchive archive =
        DownloadedArchive.fetch(store, reporter, backup, settings.jobs())) {
      restoreFile(settings, client, archive.file());
      return archive.sha256();
    }
  }

  private void restoreFile(RestoreSettings settings, PgInstallation client, Path file) {
    runPgRestore(
        settings,
        client,
        file,
        "pg_restore",
        pgRestore -> {
          pgRestore.stdin().close();
          int status = pgRestore.waitFor();
          if (status != 0) {
            throw restoreFailed(status, pgRestore);
          }
          return null;
        });
  }

  /** How many tables' data the last pg_restore restored (see {@link RestoredTables}). */
  int tablesRestored() {
    return tables.count();
  }

  /** What is done with a running pg_restore; returns the SHA-256 of what it read, if known. */
  private interface Feeder {
    String feed(ClientProcess pgRestore) throws IOException, InterruptedException;
  }

  /** Runs pg_restore on the target, in a log group, and always deletes its connection file. */
  private String runPgRestore(
      RestoreSettings settings, PgInstallation client, Path file, String what, Feeder feeder) {
    ServiceFile connection = ServiceFile.write(settings.target(), client.major());
    reporter.group("pg_restore --verbose");
    tables = new RestoredTables(reporter::detail);
    try (ClientProcess pgRestore = start(client, arguments(settings, file), connection)) {
      return feeder.feed(pgRestore);
    } catch (IOException e) {
      throw new FailureException(FailureKind.RESTORE, what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    } finally {
      reporter.endGroup();
      connection.close();
    }
  }

  private ClientProcess start(PgInstallation client, List<String> arguments, ServiceFile connection) {
    return ClientProcess.start(client, "pg_restore", arguments, connection, reporter.redactor(), tables);
  }

  static List<String> arguments(RestoreSettings settings, Path file) {
    List<String> arguments = new ArrayList<>(List.of("--no-owner", "--no-acl", "--verbose"));
    if (settings.clean()) {
      arguments.add("--clean");
      arguments.add("--if-exists");
    }
    if (settings.jobs() > 1) {
      arguments.add("--jobs=" + settings.jobs());
    }
    arguments.addAll(settings.restoreOptions());
    if (file != null) {
      arguments.add(file.toString());
    }
    return arguments;
  }

  /** Counts what is read, for the progress lines; read from another thread. */
  private static final class CountingInput extends java.io.FilterInputStream {
    private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        count.addAndGet(read);
      }
      return read;
    }

    long count() {
      return count.get();
    }

    @Override
    public void close() {
      // The object stream is closed by its owner.
    }
  }

  /** Copies until the end, or until pg_restore stops reading; says whether all was copied. */
  private static boolean copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      try {
        out.write(buffer, 0, read);
      } catch (IOException e) {
        return false; // pg_restore exited; its status says why
      }
    }
    return true;
  }

  private static FailureException restoreFailed(int status, ClientProcess pgRestore) {
    return new FailureException(
        FailureKind.RESTORE,
        "pg_restore " + ClientProcess.describeExit(status) + ": " + pgRestore.stderrTail());
  }
}
