package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.catalog.ManifestEncryption;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.report.Units;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One database of a run: claim a key, stream the dump there through the pipeline, write the
 * manifest beside the published archive, then apply retention. A failure after publishing keeps
 * the stored result ({@link AfterPublishException}).
 */
final class DatabaseBackup {
  private final Reporter reporter;
  private final Clock clock;
  private final BackupStore store;
  private final Duration progressInterval;
  private final UnaryOperator<OutputStream> verifierTap;
  private final String toolVersion;
  private final EarlierBackups earlierBackups;

  DatabaseBackup(
      Reporter reporter,
      Clock clock,
      BackupStore store,
      Duration progressInterval,
      UnaryOperator<OutputStream> verifierTap,
      String toolVersion) {
    this.reporter = reporter;
    this.clock = clock;
    this.store = store;
    this.progressInterval = progressInterval;
    this.verifierTap = verifierTap;
    this.toolVersion = toolVersion;
    this.earlierBackups = new EarlierBackups(reporter, store);
  }

  BackupResult run(RunPlan plan, String database) {
    DatabaseSelection.requireBackupable(database);
    BackupSettings settings = plan.settings();
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    ClaimedUpload upload =
        ClaimedUpload.start(
            store,
            new BackupKey(
                settings.storage().prefix(), database, plan.runStamp(), settings.encryption().isPresent()),
            ClaimedUpload.ownThread());
    announce(plan, database);
    EarlierBackups.Pending earlier = earlierBackups.start(plan, database);
    DumpPipeline.Archive archive;
    try {
      archive =
          new DumpPipeline(reporter, progressInterval, verifierTap)
              .run(
                  settings,
                  plan.client(),
                  plan.connectionFor(database),
                  upload,
                  plan.alone() ? null : database,
                  earlier);
    } catch (RuntimeException e) {
      earlier.leave();
      throw e;
    }
    BackupKey key = upload.key();
    ObjectLocation location = store.at(key.key());
    BackupResult stored;
    try (ShutdownPath.Section publishing = archive.publishing()) {
      stored =
          new BackupResult(
              manifest(plan, database, location, started, archive),
              location,
              store.at(key.manifestKey()),
              Duration.ofNanos(System.nanoTime() - startNanos),
              Optional.empty(),
              archive.earlier().previous(),
              archive.earlier().month());
      writeManifest(stored);
      publishing.published();
    }
    BackupResult result = applyRetention(settings, key, stored, startNanos);
    reporter.info(
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

  private void announce(RunPlan plan, String database) {
    BackupSettings settings = plan.settings();
    reporter.info(
        "dumping database '"
            + database
            + "' (PostgreSQL "
            + plan.server().version()
            + ") with pg_dump "
            + plan.pgDumpVersion()
            + ", verify: "
            + settings.verify().inputValue()
            + settings
                .encryption()
                .map(r -> ", encrypted with age to " + String.join(", ", r.publicKeys()))
                .orElse(""));
  }

  private Manifest manifest(
      RunPlan plan, String database, ObjectLocation location, Instant started, DumpPipeline.Archive archive) {
    BackupSettings settings = plan.settings();
    return Manifest.builder()
        .manifestVersion(Manifest.CURRENT_VERSION)
        .toolVersion(toolVersion)
        .database(database)
        .objectKey(location.key())
        .serverVersion(plan.server().version())
        .pgDumpVersion(plan.pgDumpVersion())
        .compression(settings.compression().value())
        .startedAt(started)
        .finishedAt(clock.instant())
        .sizeBytes(archive.size())
        .sha256(archive.sha256())
        .verification(settings.verify().inputValue())
        .verificationResult(settings.verify() == ArchiveVerifier.Mode.NONE ? "skipped" : "passed")
        .encryption(
            settings
                .encryption()
                .map(
                    recipients ->
                        new ManifestEncryption(
                            recipients.publicKeys(),
                            archive.plaintextSha256(),
                            archive.plaintextSize())))
        .source(plan.source().snapshot())
        .receivedBytes(archive.receivedBytes())
        .build();
  }

  /** Retention after the archive and its manifest are stored; the result keeps the archive. */
  private BackupResult applyRetention(
      BackupSettings settings, BackupKey key, BackupResult stored, long startNanos) {
    if (settings.retention().isEmpty()) {
      return stored;
    }
    try {
      RetentionOutcome outcome =
          new RetentionRun(store, reporter)
              .apply(settings.retention(), settings.retentionDryRun(), key, clock.instant());
      return stored.withRetention(
          Optional.of(outcome), Duration.ofNanos(System.nanoTime() - startNanos));
    } catch (FailureException e) {
      throw new AfterPublishException(stored, e);
    }
  }

  /** Writes the manifest beside the published archive; a failure keeps the stored result. */
  private void writeManifest(BackupResult stored) {
    ObjectLocation location = stored.manifestLocation();
    byte[] json = stored.manifest().toJson().getBytes(StandardCharsets.UTF_8);
    try {
      if (!store.putIfAbsent(location.key(), json, "application/json")) {
        throw new StorageException(
            "could not write its manifest " + location.url() + ": another object is at that key",
            null);
      }
    } catch (FailureException e) {
      throw new AfterPublishException(stored, e);
    }
  }
}
