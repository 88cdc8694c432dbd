package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.ClientProcess;
import dev.neonbackup.postgres.DigestingOutputStream;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServiceFile;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Units;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
  /** Room left on the disk beyond the archive when downloading for a parallel restore. */
  private static final long DISK_MARGIN = 256L * 1024 * 1024;

  private final Reporter reporter;
  private final BackupStore store;

  PgRestoreFeed(Reporter reporter, BackupStore store) {
    this.reporter = reporter;
    this.store = store;
  }

  String stream(RestoreSettings settings, PgInstallation client, BackupToRestore backup) {
    return runPgRestore(
        settings,
        client,
        null,
        "reading " + backup.location().url(),
        pgRestore -> {
          try (ObjectStream object = store.open(backup.location().key())) {
            return feed(pgRestore, object, backup);
          }
        });
  }

  /** Streams the object into pg_restore; the SHA-256 is checked once every byte went in. */
  private static String feed(ClientProcess pgRestore, ObjectStream object, BackupToRestore backup)
      throws IOException, InterruptedException {
    DigestingOutputStream input = new DigestingOutputStream(pgRestore.stdin());
    boolean fedWhole = false;
    try {
      fedWhole = copy(object, input);
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
    String sha256 = fedWhole ? input.sha256Hex() : null;
    if (sha256 != null) {
      backup.checkSha(sha256, "the restore has run; treat the database as suspect");
    }
    if (status != 0) {
      throw restoreFailed(status, pgRestore);
    }
    return sha256;
  }

  String download(RestoreSettings settings, PgInstallation client, BackupToRestore backup) {
    Path directory;
    Path file;
    ShutdownPath.Registration download;
    try (ShutdownPath.Creation creation = ShutdownPath.process().creating("downloading")) {
      directory = privateTempDirectory();
      file = directory.resolve("archive.dump");
      download =
          ShutdownPath.process()
              .register(
                  ShutdownPath.Kind.FILE,
                  "the downloaded archive " + file,
                  () -> {
                    deleteQuietly(file);
                    deleteQuietly(directory);
                  });
    }
    try {
      checkDiskSpace(directory, backup.size());
      String sha256;
      try (InputStream object = store.open(backup.location().key());
          DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(file))) {
        object.transferTo(out);
        out.flush();
        sha256 = out.sha256Hex();
      }
      backup.checkSha(sha256, "the target database was not touched");
      restoreFile(settings, client, file);
      return sha256;
    } catch (IOException e) {
      throw new FailureException(
          FailureKind.RESTORE,
          "downloading " + backup.location().url() + " failed: " + e.getMessage(),
          e);
    } finally {
      deleteQuietly(file);
      deleteQuietly(directory);
      download.close();
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

  /** What is done with a running pg_restore; returns the SHA-256 of what it read, if known. */
  private interface Feeder {
    String feed(ClientProcess pgRestore) throws IOException, InterruptedException;
  }

  /** Runs pg_restore on the target, in a log group, and always deletes its connection file. */
  private String runPgRestore(
      RestoreSettings settings, PgInstallation client, Path file, String what, Feeder feeder) {
    ServiceFile connection = ServiceFile.write(settings.target(), client.major());
    reporter.group("pg_restore --verbose");
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
    return ClientProcess.start(
        client, "pg_restore", arguments, connection, reporter.redactor(), reporter::detail);
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

  private static void checkDiskSpace(Path directory, long size) throws IOException {
    long usable = Files.getFileStore(directory).getUsableSpace();
    if (usable < size + DISK_MARGIN) {
      throw new FailureException(
          FailureKind.RESTORE,
          "not enough disk space for a parallel restore: the archive needs "
              + Units.bytes(size)
              + " in "
              + directory.getParent()
              + ", which has "
              + Units.bytes(usable)
              + " free (use jobs: 1 to stream instead)");
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

  private static Path privateTempDirectory() {
    try {
      return Files.createTempDirectory(
          RestoreService.DOWNLOAD_PREFIX,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Left for the runner's cleanup; it holds no secret.
    }
  }
}
