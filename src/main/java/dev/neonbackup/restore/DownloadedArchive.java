package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Units;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.postgres.DigestingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * A parallel restore's own copy of the archive (pg_restore --jobs needs a seekable file): a 0600
 * file in a 0700 directory, registered with the shutdown path when created, filled by parallel
 * ranged reads, its size and SHA-256 checked against the manifest before anything touches the
 * target, and removed on close, on every failure and on a signal. An encrypted archive is then
 * decrypted beside it into a second such file, whose SHA-256 is checked too before pg_restore
 * starts, and the downloaded one is removed.
 */
final class DownloadedArchive implements AutoCloseable {
  /** Room left on the disk beyond the archive. */
  private static final long DISK_MARGIN = 256L * 1024 * 1024;

  private final Path directory;
  private final Path file;
  private final Path decrypted;
  private final ShutdownPath.Registration registration;
  private String sha256;

  private boolean decryptedIsTheArchive;

  private DownloadedArchive(
      Path directory, Path file, Path decrypted, ShutdownPath.Registration registration) {
    this.directory = directory;
    this.file = file;
    this.decrypted = decrypted;
    this.registration = registration;
  }

  /** Downloads and checks the archive; on failure nothing is left on the disk. */
  static DownloadedArchive fetch(BackupStore store, Reporter reporter, BackupToRestore backup, int jobs) {
    DownloadedArchive archive = create();
    try {
      archive.download(store, reporter, backup, RangePlan.streamsFor(jobs));
      if (backup.decryption().isPresent()) {
        archive.decrypt(backup);
      }
      return archive;
    } catch (IOException e) {
      archive.close();
      throw new FailureException(
          FailureKind.RESTORE,
          "downloading " + backup.location().url() + " failed: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      archive.close();
      throw e;
    }
  }

  /** The file pg_restore reads: the download, or what was decrypted from it. */
  Path file() {
    return decryptedIsTheArchive ? decrypted : file;
  }

  /** The SHA-256 of the downloaded bytes. */
  String sha256() {
    return sha256;
  }

  private void download(BackupStore store, Reporter reporter, BackupToRestore backup, int streams)
      throws IOException {
    checkDiskSpace(directory, backup.decryption().isPresent() ? 2 * backup.size() : backup.size());
    long rangeSize = RangePlan.rangeSizeFor(backup.size(), streams);
    long start = System.nanoTime();
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      sha256 =
          new RangedDownload(
                  store,
                  streams,
                  rangeSize,
                  RangedDownload.ATTEMPTS_PER_RANGE,
                  RangedDownload.FIRST_BACKOFF,
                  reporter::warn)
              .download(backup.location(), backup.size(), channel);
      if (channel.size() != backup.size()) {
        throw new IOException(
            "the file holds " + channel.size() + " bytes, the object " + backup.size());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    reporter.info(
        String.format(
            Locale.ROOT,
            "downloaded %s in %.2f s (%d ranges of %d MiB, %d at a time)",
            Units.bytes(backup.size()),
            seconds,
            RangePlan.split(backup.size(), rangeSize).size(),
            rangeSize >> 20,
            streams));
    backup.checkSha(sha256, "the target database was not touched");
  }

  /** Decrypts the download beside it, checks what came out, and removes the download. */
  private void decrypt(BackupToRestore backup) throws IOException {
    createPrivateFile(decrypted);
    decryptedIsTheArchive = true;
    String plaintextSha;
    try (InputStream in = Files.newInputStream(file);
        DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(decrypted))) {
      backup.decryption().get().open(in).transferTo(out);
      out.flush();
      plaintextSha = out.sha256Hex();
    }
    backup.checkPlaintextSha(plaintextSha, "the target database was not touched");
    deleteQuietly(file);
  }

  /** Makes the private directory and the empty file, registered before anything is written. */
  private static DownloadedArchive create() {
    try (ShutdownPath.Creation creation = ShutdownPath.process().creating("downloading")) {
      Path directory =
          Files.createTempDirectory(
              RestoreService.DOWNLOAD_PREFIX,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = directory.resolve("archive.dump");
      Path decrypted = directory.resolve("decrypted.dump");
      ShutdownPath.Registration registration =
          ShutdownPath.process()
              .register(
                  ShutdownPath.Kind.FILE,
                  "the downloaded archive " + file,
                  () -> {
                    deleteQuietly(file);
                    deleteQuietly(decrypted);
                    deleteQuietly(directory);
                  });
      DownloadedArchive archive = new DownloadedArchive(directory, file, decrypted, registration);
      try {
        createPrivateFile(file);
      } catch (IOException | RuntimeException e) {
        archive.close();
        throw e;
      }
      return archive;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary file for the download", e);
    }
  }

  /** A new file only this user may read: the archive's data is the database's. */
  private static void createPrivateFile(Path file) throws IOException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
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

  /** Deletes the file and its directory and unregisters them. */
  @Override
  public void close() {
    deleteQuietly(file);
    deleteQuietly(decrypted);
    deleteQuietly(directory);
    registration.close();
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Left for the runner's cleanup; it holds no secret.
    }
  }
}
