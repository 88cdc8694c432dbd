package dev.neonbackup.restore;

import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.postgres.DigestingOutputStream;
import dev.neonbackup.report.Units;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.actions.Console;
import dev.neonbackup.postgres.ArchiveHeader;
import dev.neonbackup.postgres.ClientProcess;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServerInfo;
import dev.neonbackup.postgres.ServerProbe;
import dev.neonbackup.postgres.ServiceFile;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.s3.StorageErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Restores one backup into a database: finds it (a key, or the latest of a database by the
 * timestamp in its key), picks a pg_restore at least as new as the pg_dump that wrote it, and
 * either streams the object into pg_restore or, for a parallel restore ({@code jobs} > 1, which
 * needs a seekable file), downloads it first. The SHA-256 is checked against the manifest: before
 * pg_restore starts when downloading, at the end of the stream otherwise.
 */
public final class RestoreService {
  private static final int COPY_BUFFER = 256 * 1024;
  /** Room left on the disk beyond the archive when downloading for a parallel restore. */
  private static final long DISK_MARGIN = 256L * 1024 * 1024;

  private final Console console;
  private final S3Client s3;
  private final Path clientRoot;

  public RestoreService(Console console, S3Client s3, Path clientRoot) {
    this.console = console;
    this.s3 = s3;
    this.clientRoot = clientRoot;
  }

  /** What was restored. */
  public record Restored(ObjectLocation location, long sizeBytes, String sha256, String pgRestore) {}

  public Restored restore(RestoreSettings settings) {
    String bucket = settings.storage().bucket();
    ObjectLocation location = new ObjectLocation(bucket, resolveKey(settings));
    long size = sizeOf(location);
    Optional<Manifest> manifest =
        BackupCatalog.readManifest(s3, bucket, location.key() + BackupKey.MANIFEST_SUFFIX);
    if (manifest.isEmpty()) {
      console.warn(
          "no manifest beside " + location.url() + ": the SHA-256 cannot be checked");
    }
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    if (installed.isEmpty()) {
      throw new FailureException(
          FailureKind.RESTORE, "no pg_restore found under " + clientRoot + "/*/bin: set pg-bin-dir");
    }
    console.info("connecting to " + settings.target().redacted());
    ServerInfo target =
        ServerProbe.probe(
            installed.get(installed.size() - 1),
            settings.target(),
            RestoreSettings.TARGET_URL,
            console.redactor());
    int dumpMajor =
        manifest
            .map(m -> PgClients.majorOf(m.pgDumpVersion()))
            .orElseGet(() -> majorFromHeader(location));
    PgInstallation client = PgClients.pickRestore(installed, dumpMajor, target.major());
    String version = PgClients.versionOf(client.tool("pg_restore")).orElse("" + client.major());
    console.info(
        "restoring "
            + location.url()
            + " ("
            + Units.bytes(size)
            + ") into "
            + settings.target().redacted()
            + " (PostgreSQL "
            + target.version()
            + ") with pg_restore "
            + version
            + (settings.jobs() > 1 ? ", " + settings.jobs() + " jobs" : ""));
    String sha256 =
        settings.jobs() > 1
            ? downloadThenRestore(settings, client, location, size, manifest)
            : streamRestore(settings, client, location, manifest);
    console.info("restored " + location.url() + " into " + settings.target().redacted());
    return new Restored(location, size, sha256, version);
  }

  private String resolveKey(RestoreSettings settings) {
    if (!settings.backupKey().equals(RestoreSettings.LATEST)) {
      return settings.backupKey();
    }
    BackupCatalog catalog =
        BackupCatalog.load(s3, settings.storage().bucket(), settings.storage().prefix());
    String database =
        settings
            .database()
            .orElseGet(
                () -> {
                  if (catalog.databases().size() == 1) {
                    return catalog.databases().iterator().next();
                  }
                  throw new InputException(
                      "backup-key latest needs the database input: the prefix holds backups of "
                          + (catalog.databases().isEmpty() ? "no database" : String.join(", ", catalog.databases())));
                });
    return catalog
        .latest(database)
        .map(entry -> entry.key().key())
        .orElseThrow(
            () ->
                new FailureException(
                    FailureKind.RESTORE,
                    "no backup of database '"
                        + database
                        + "' under s3://"
                        + settings.storage().bucket()
                        + "/"
                        + settings.storage().prefix()));
  }

  /** Without a manifest, the archive's own header says which pg_dump wrote it (0 if unreadable). */
  private int majorFromHeader(ObjectLocation location) {
    try {
      byte[] head =
          s3.getObjectAsBytes(
                  GetObjectRequest.builder()
                      .bucket(location.bucket())
                      .key(location.key())
                      .range("bytes=0-" + (ArchiveHeader.READ_BYTES - 1))
                      .build())
              .asByteArray();
      Optional<ArchiveHeader> header = ArchiveHeader.parse(head);
      header.ifPresent(
          h ->
              console.info(
                  "the archive's header: written by pg_dump "
                      + h.pgDumpVersion()
                      + " from PostgreSQL "
                      + h.serverVersion()));
      return header.map(h -> PgClients.majorOf(h.pgDumpVersion())).orElse(0);
    } catch (SdkException e) {
      throw StorageErrors.explain("read the head of " + location.url(), location.bucket(), e);
    }
  }

  private long sizeOf(ObjectLocation location) {
    try {
      HeadObjectResponse head =
          s3.headObject(
              HeadObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
      return head.contentLength();
    } catch (NoSuchKeyException e) {
      throw new FailureException(FailureKind.RESTORE, "no backup at " + location.url(), e);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new FailureException(FailureKind.RESTORE, "no backup at " + location.url(), e);
      }
      throw StorageErrors.explain("find " + location.url(), location.bucket(), e);
    } catch (SdkException e) {
      throw StorageErrors.explain("find " + location.url(), location.bucket(), e);
    }
  }

  private List<String> arguments(RestoreSettings settings, Path file) {
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

  private String streamRestore(
      RestoreSettings settings,
      PgInstallation client,
      ObjectLocation location,
      Optional<Manifest> manifest) {
    ServiceFile connection = ServiceFile.write(settings.target(), RestoreSettings.TARGET_URL);
    console.group("pg_restore --verbose");
    try (ClientProcess pgRestore =
            ClientProcess.start(
                client,
                "pg_restore",
                arguments(settings, null),
                connection,
                console.redactor(),
                console::detail);
        ResponseInputStream<GetObjectResponse> object = open(location)) {
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
        checkSha(location, manifest, sha256, "the restore has run; treat the database as suspect");
      }
      if (status != 0) {
        throw restoreFailed(status, pgRestore);
      }
      return sha256;
    } catch (IOException e) {
      throw new FailureException(FailureKind.RESTORE, "reading " + location.url() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    } finally {
      console.endGroup();
      connection.close();
    }
  }

  private String downloadThenRestore(
      RestoreSettings settings,
      PgInstallation client,
      ObjectLocation location,
      long size,
      Optional<Manifest> manifest) {
    Path directory = privateTempDirectory();
    Path file = directory.resolve("archive.dump");
    try {
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
      String sha256;
      try (InputStream object = open(location);
          DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(file))) {
        object.transferTo(out);
        out.flush();
        sha256 = out.sha256Hex();
      }
      checkSha(location, manifest, sha256, "the target database was not touched");
      ServiceFile connection = ServiceFile.write(settings.target(), RestoreSettings.TARGET_URL);
      console.group("pg_restore --verbose");
      try (ClientProcess pgRestore =
          ClientProcess.start(
              client,
              "pg_restore",
              arguments(settings, file),
              connection,
              console.redactor(),
              console::detail)) {
        pgRestore.stdin().close();
        int status = pgRestore.waitFor();
        if (status != 0) {
          throw restoreFailed(status, pgRestore);
        }
      } finally {
        console.endGroup();
        connection.close();
      }
      return sha256;
    } catch (IOException e) {
      throw new FailureException(
          FailureKind.RESTORE, "downloading " + location.url() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    } finally {
      deleteQuietly(file);
      deleteQuietly(directory);
    }
  }

  private static void checkSha(
      ObjectLocation location, Optional<Manifest> manifest, String actual, String consequence) {
    if (manifest.isPresent() && !manifest.get().sha256().equals(actual)) {
      throw new FailureException(
          FailureKind.VERIFY,
          "the object "
              + location.url()
              + " does not match its manifest (SHA-256 "
              + actual
              + ", manifest says "
              + manifest.get().sha256()
              + "): it was changed or damaged in storage; "
              + consequence);
    }
  }

  private ResponseInputStream<GetObjectResponse> open(ObjectLocation location) {
    try {
      return s3.getObject(
          GetObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
    } catch (SdkException e) {
      throw StorageErrors.explain("read " + location.url(), location.bucket(), e);
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
        FailureKind.RESTORE, "pg_restore " + ClientProcess.describeExit(status) + ": " + pgRestore.stderrTail());
  }

  private static Path privateTempDirectory() {
    try {
      return Files.createTempDirectory(
          "neon-restore-",
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
