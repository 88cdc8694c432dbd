package dev.neonbackup.backup;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.cli.FailureException;
import dev.neonbackup.cli.Version;
import dev.neonbackup.config.BackupSettings;
import dev.neonbackup.github.Console;
import dev.neonbackup.postgres.ArchiveVerifier;
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
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One backup: probe the server, pick pg_dump, stream its archive into a multipart upload while a
 * pg_restore verifies the same bytes, and publish it only when pg_dump exited 0, the verifier
 * passed and every byte is stored; then write the manifest beside it. Any failure on either side
 * stops the other: pg_dump is killed, the upload aborted, nothing appears at the key.
 */
public final class BackupService {
  private static final int COPY_BUFFER = 256 * 1024;

  private final Console console;
  private final Clock clock;
  private final S3Client s3;
  private final Path clientRoot;
  private final PartSizes partSizes;
  private final Duration progressInterval;
  private final UnaryOperator<OutputStream> verifierTap;

  public BackupService(
      Console console,
      Clock clock,
      S3Client s3,
      Path clientRoot,
      PartSizes partSizes,
      Duration progressInterval) {
    this(console, clock, s3, clientRoot, partSizes, progressInterval, UnaryOperator.identity());
  }

  /** {@code verifierTap} wraps the verifier's input: tests use it to damage what it sees. */
  BackupService(
      Console console,
      Clock clock,
      S3Client s3,
      Path clientRoot,
      PartSizes partSizes,
      Duration progressInterval,
      UnaryOperator<OutputStream> verifierTap) {
    this.console = console;
    this.clock = clock;
    this.s3 = s3;
    this.clientRoot = clientRoot;
    this.partSizes = partSizes;
    this.progressInterval = progressInterval;
    this.verifierTap = verifierTap;
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
    console.info("connecting to " + settings.database().redacted());
    ServerInfo server =
        ServerProbe.probe(
            installed.get(installed.size() - 1),
            settings.database(),
            BackupSettings.DATABASE_URL,
            console.redactor());
    PgInstallation client = chooseClient(installed, server);
    String pgDumpVersion =
        PgClients.versionOf(client.tool("pg_dump")).orElse(String.valueOf(client.major()));
    settings.compression().ifPresent(c -> c.checkSupportedBy(client.major()));

    KeyClaim.Claimed claim =
        KeyClaim.open(
            s3,
            settings.storage().bucket(),
            BackupKey.at(settings.storage().prefix(), settings.databaseName(), clock),
            partSizes,
            settings.storage().checksumsEnabled());
    ObjectLocation location = new ObjectLocation(settings.storage().bucket(), claim.key().key());
    console.info(
        "dumping database '"
            + settings.databaseName()
            + "' (PostgreSQL "
            + server.version()
            + ") with pg_dump "
            + pgDumpVersion
            + " to "
            + location.url()
            + ", verify: "
            + settings.verify().inputValue());
    Archive archive = dumpAndUpload(settings, client, claim.upload(), location);
    Instant finished = clock.instant();
    Manifest manifest =
        new Manifest(
            Manifest.CURRENT_VERSION,
            Version.current(),
            settings.databaseName(),
            location.key(),
            server.version(),
            pgDumpVersion,
            settings.compression().map(c -> c.value()).orElse("default"),
            started,
            finished,
            archive.size(),
            archive.sha256(),
            settings.verify().inputValue(),
            settings.verify() == ArchiveVerifier.Mode.NONE ? "skipped" : "passed");
    ObjectLocation manifestLocation = location.withKey(claim.key().manifestKey());
    BackupResult stored =
        new BackupResult(
            settings.databaseName(),
            location,
            manifestLocation,
            archive.size(),
            archive.sha256(),
            started,
            Duration.ofNanos(System.nanoTime() - startNanos),
            pgDumpVersion,
            server.version(),
            manifest.verification() + ": " + manifest.verificationResult(),
            Optional.empty());
    BackupResult result;
    try {
      writeManifest(manifestLocation, manifest);
      Optional<RetentionOutcome> retention = applyRetention(settings, claim.key());
      result =
          new BackupResult(
              stored.database(),
              location,
              manifestLocation,
              archive.size(),
              archive.sha256(),
              started,
              Duration.ofNanos(System.nanoTime() - startNanos),
              pgDumpVersion,
              server.version(),
              stored.verification(),
              retention);
    } catch (FailureException e) {
      throw new AfterPublishException(stored, e);
    }
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
            + Units.rate(result.sizeBytes(), result.durationSeconds())
            + ", verification "
            + result.verification());
    return result;
  }

  private Optional<RetentionOutcome> applyRetention(BackupSettings settings, BackupKey stored) {
    if (settings.retention().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        RetentionRun.apply(
            s3,
            console,
            settings.retention(),
            settings.retentionDryRun(),
            settings.storage().bucket(),
            stored,
            clock.instant()));
  }

  private PgInstallation chooseClient(List<PgInstallation> installed, ServerInfo server) {
    PgClients.Choice choice = PgClients.pick(installed, server.major());
    if (choice.newer()) {
      console.warn(
          "no pg_dump "
              + server.major()
              + " is installed; using pg_dump "
              + choice.installation().major()
              + ". Restoring this archive needs pg_restore "
              + choice.installation().major()
              + " or newer.");
    }
    return choice.installation();
  }

  private record Archive(long size, String sha256) {}

  private Archive dumpAndUpload(
      BackupSettings settings,
      PgInstallation client,
      MultipartUploadStream upload,
      ObjectLocation location) {
    List<String> arguments = PgDumpArguments.of(settings.compression(), settings.pgDumpOptions());
    ServiceFile connection = ServiceFile.write(settings.database(), BackupSettings.DATABASE_URL);
    console.group("pg_dump --verbose");
    try (upload;
        ArchiveVerifier verifier = startVerifier(settings.verify(), client);
        ClientProcess pgDump =
            ClientProcess.start(
                client, "pg_dump", arguments, connection, console.redactor(), console::detail)) {
      OutputStream sink =
          verifier == null
              ? upload
              : new TeeOutputStream(upload, verifierTap.apply(verifier.asOutputStream()));
      DigestingOutputStream archive = new DigestingOutputStream(sink);
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
      if (verifier != null) {
        verifier.finish();
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

  private ArchiveVerifier startVerifier(ArchiveVerifier.Mode mode, PgInstallation client) {
    return mode == ArchiveVerifier.Mode.NONE
        ? null
        : ArchiveVerifier.start(mode, client, console.redactor());
  }

  /**
   * Copies pg_dump's stdout into the upload. A failed read is pg_dump's side; a failed write is
   * S3's or the verifier's, and then pg_dump is stopped at once (closing the process also does it
   * on any path).
   */
  private static void copy(ClientProcess pgDump, OutputStream archive) throws IOException {
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

  private void writeManifest(ObjectLocation location, Manifest manifest) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(location.bucket())
              .key(location.key())
              .contentType("application/json")
              .ifNoneMatch("*")
              .build(),
          RequestBody.fromString(manifest.toJson()));
    } catch (SdkException e) {
      throw StorageErrors.explain("write its manifest " + location.url(), location.bucket(), e);
    }
  }
}
