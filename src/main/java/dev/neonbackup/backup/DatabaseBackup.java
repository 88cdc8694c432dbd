package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.report.Reporter;
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
  }

  BackupResult run(RunPlan plan, String database) {
    DatabaseSelection.requireBackupable(database);
    BackupSettings settings = plan.settings();
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    KeyClaim.Claimed claim =
        KeyClaim.open(store, new BackupKey(settings.storage().prefix(), database, plan.runStamp()));
    ObjectLocation location = store.at(claim.key().key());
    reporter.info(
        "dumping database '"
            + database
            + "' (PostgreSQL "
            + plan.server().version()
            + ") with pg_dump "
            + plan.pgDumpVersion()
            + " to "
            + location.url()
            + ", verify: "
            + settings.verify().inputValue());
    DumpPipeline.Archive archive =
        new DumpPipeline(reporter, progressInterval, verifierTap)
            .run(
                settings,
                plan.client(),
                plan.connection().withDatabase(database),
                claim.upload(),
                location,
                plan.alone() ? null : database);
    Manifest manifest = manifest(plan, database, location, started, archive);
    BackupResult stored =
        new BackupResult(
            manifest,
            location,
            store.at(claim.key().manifestKey()),
            Duration.ofNanos(System.nanoTime() - startNanos),
            Optional.empty());
    BackupResult result = afterPublish(settings, claim.key(), stored, startNanos);
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
        .compression(settings.compression().map(c -> c.value()).orElse("default"))
        .startedAt(started)
        .finishedAt(clock.instant())
        .sizeBytes(archive.size())
        .sha256(archive.sha256())
        .verification(settings.verify().inputValue())
        .verificationResult(settings.verify() == ArchiveVerifier.Mode.NONE ? "skipped" : "passed")
        .build();
  }

  /** The manifest, then retention; the archive is stored whatever happens here. */
  private BackupResult afterPublish(
      BackupSettings settings, BackupKey key, BackupResult stored, long startNanos) {
    try {
      writeManifest(stored.manifestLocation(), stored.manifest());
      Optional<RetentionOutcome> retention = applyRetention(settings, key);
      return stored.withRetention(retention, Duration.ofNanos(System.nanoTime() - startNanos));
    } catch (FailureException e) {
      throw new AfterPublishException(stored, e);
    }
  }

  private void writeManifest(ObjectLocation location, Manifest manifest) {
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    if (!store.putIfAbsent(location.key(), json, "application/json")) {
      throw new StorageException(
          "could not write its manifest " + location.url() + ": another object is at that key",
          null);
    }
  }

  private Optional<RetentionOutcome> applyRetention(BackupSettings settings, BackupKey stored) {
    if (settings.retention().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RetentionRun(store, reporter)
            .apply(settings.retention(), settings.retentionDryRun(), stored, clock.instant()));
  }
}
