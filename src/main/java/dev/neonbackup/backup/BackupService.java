package dev.neonbackup.backup;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.cli.FailureException;
import dev.neonbackup.config.BackupSettings;
import dev.neonbackup.github.Console;
import dev.neonbackup.postgres.ClientProcess;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgDumpArguments;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServerInfo;
import dev.neonbackup.postgres.ServerProbe;
import dev.neonbackup.postgres.ServiceFile;
import dev.neonbackup.storage.MultipartUploadStream;
import dev.neonbackup.storage.ObjectLocation;
import dev.neonbackup.storage.PartSizes;
import dev.neonbackup.storage.StorageErrors;
import dev.neonbackup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One backup: probe the server, pick pg_dump, stream its archive into a multipart upload, and
 * publish it only when pg_dump exited 0 and every byte is stored. Any failure on either side stops
 * the other: pg_dump is killed, the upload aborted, nothing appears at the key.
 */
public final class BackupService {
  private static final int COPY_BUFFER = 256 * 1024;
  private static final int MAX_KEY_ATTEMPTS = 60;

  private final Console console;
  private final Clock clock;
  private final S3Client s3;
  private final Path clientRoot;
  private final PartSizes partSizes;
  private final Duration progressInterval;

  public BackupService(
      Console console,
      Clock clock,
      S3Client s3,
      Path clientRoot,
      PartSizes partSizes,
      Duration progressInterval) {
    this.console = console;
    this.clock = clock;
    this.s3 = s3;
    this.clientRoot = clientRoot;
    this.partSizes = partSizes;
    this.progressInterval = progressInterval;
  }

  public BackupResult run(BackupSettings settings) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    if (installed.isEmpty()) {
      throw new FailureException(
          ExitCode.DATABASE,
          "no pg_dump found under "
              + clientRoot
              + "/*/bin: install postgresql-client-NN, or set pg-bin-dir");
    }
    PgInstallation newest = installed.get(installed.size() - 1);
    console.info("connecting to " + settings.database().redacted());
    ServerInfo server =
        ServerProbe.probe(
            newest, settings.database(), BackupSettings.DATABASE_URL, console.redactor());
    PgClients.Choice choice = PgClients.pick(installed, server.major());
    PgInstallation client = choice.installation();
    String pgDumpVersion =
        PgClients.versionOf(client.tool("pg_dump")).orElse(String.valueOf(client.major()));
    if (choice.newer()) {
      console.warn(
          "no pg_dump "
              + server.major()
              + " is installed; using pg_dump "
              + pgDumpVersion
              + ". Restoring this archive needs pg_restore "
              + client.major()
              + " or newer.");
    }
    settings.compression().ifPresent(c -> c.checkSupportedBy(client.major()));

    BackupKey key =
        freeKey(
            settings.storage().bucket(),
            BackupKey.at(settings.storage().prefix(), settings.databaseName(), clock));
    ObjectLocation location = new ObjectLocation(settings.storage().bucket(), key.key());
    console.info(
        "dumping database '"
            + settings.databaseName()
            + "' (PostgreSQL "
            + server.version()
            + ") with pg_dump "
            + pgDumpVersion
            + " to "
            + location.url());
    Archive archive = dumpAndUpload(settings, client, location);
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    BackupResult result =
        new BackupResult(
            settings.databaseName(),
            location,
            archive.size(),
            archive.sha256(),
            started,
            duration,
            pgDumpVersion,
            server.version());
    console.info(
        "stored "
            + location.url()
            + ": "
            + Units.bytes(result.sizeBytes())
            + ", sha256 "
            + result.sha256()
            + ", "
            + Units.seconds(result.durationSeconds())
            + " s, "
            + Units.rate(result.sizeBytes(), result.durationSeconds()));
    return result;
  }

  private record Archive(long size, String sha256) {}

  private Archive dumpAndUpload(
      BackupSettings settings, PgInstallation client, ObjectLocation location) {
    List<String> arguments =
        PgDumpArguments.of(settings.compression(), settings.pgDumpOptions());
    ServiceFile connection = ServiceFile.write(settings.database(), BackupSettings.DATABASE_URL);
    console.group("pg_dump --verbose");
    try (MultipartUploadStream upload =
            MultipartUploadStream.start(
                s3, location, partSizes, settings.storage().checksumsEnabled());
        ClientProcess pgDump =
            ClientProcess.start(
                client, "pg_dump", arguments, connection, console.redactor(), console::detail)) {
      DigestingOutputStream archive = new DigestingOutputStream(upload);
      pgDump.stdin().close();
      Progress progress = Progress.start(console, archive::count, progressInterval);
      try {
        copy(pgDump, archive);
      } finally {
        progress.close();
      }
      int status = pgDump.waitFor();
      if (status != 0) {
        throw new FailureException(
            ExitCode.DUMP,
            "pg_dump "
                + ClientProcess.describeExit(status)
                + "; nothing was stored: "
                + pgDump.stderrTail());
      }
      if (!archive.startsWithCustomArchiveMagic()) {
        throw new FailureException(
            ExitCode.DUMP,
            "pg_dump exited 0 but wrote no custom-format archive ("
                + archive.count()
                + " bytes); nothing was stored");
      }
      upload.complete(true);
      return new Archive(archive.count(), archive.sha256Hex());
    } catch (IOException e) {
      throw new StorageException(
          "the upload to " + location.url() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(ExitCode.INTERNAL, "interrupted", e);
    } finally {
      console.endGroup();
      connection.close();
    }
  }

  /**
   * Copies pg_dump's stdout into the upload. A failed read is pg_dump's side; a failed write is
   * S3's, and then pg_dump is stopped at once (closing the process also does it on any path).
   */
  private static void copy(ClientProcess pgDump, DigestingOutputStream archive) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    InputStream in = pgDump.stdout();
    while (true) {
      int read;
      try {
        read = in.read(buffer);
      } catch (IOException e) {
        throw new FailureException(
            ExitCode.DUMP, "reading pg_dump's output failed: " + e.getMessage(), e);
      }
      if (read < 0) {
        return;
      }
      try {
        archive.write(buffer, 0, read);
      } catch (IOException | RuntimeException e) {
        pgDump.kill();
        throw e;
      }
    }
  }

  /**
   * The key for this run: the run's own second, or the next free second when another backup of
   * the same database already took it. Publishing also refuses to replace an object (If-None-Match).
   */
  private BackupKey freeKey(String bucket, BackupKey candidate) {
    BackupKey key = candidate;
    for (int attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
      if (!exists(new ObjectLocation(bucket, key.key()))) {
        return key;
      }
      key = key.nextSecond();
    }
    throw new StorageException("no free key near " + candidate.key(), null);
  }

  private boolean exists(ObjectLocation location) {
    try {
      s3.headObject(
          HeadObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      if (e.statusCode() == 403) {
        // Without s3:ListBucket, S3 answers 403 for a missing key; If-None-Match still guards.
        return false;
      }
      throw StorageErrors.explain("check " + location.url(), location.bucket(), e);
    } catch (SdkException e) {
      throw StorageErrors.explain("check " + location.url(), location.bucket(), e);
    }
  }
}
