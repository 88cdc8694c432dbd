package dev.neonbackup.backup;

import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.catalog.ManifestEncryption;
import dev.neonbackup.catalog.MonthlyEgress;
import dev.neonbackup.catalog.SeriesHistory;
import dev.neonbackup.store.ObjectLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one backup stored: its manifest (what was dumped, by what, how it checked out), where the
 * archive and the manifest are, how long it took, what retention did afterwards, and the
 * database's backups before it ({@code previous}, newest first; empty when none could be read)
 * and what the server sent pg_dump in the earlier backups of the month under the prefix ({@code
 * earlierThisMonth}; empty when they could not be read).
 */
public record BackupResult(
    Manifest manifest,
    ObjectLocation location,
    ObjectLocation manifestLocation,
    Duration duration,
    Optional<RetentionOutcome> retention,
    List<SeriesHistory.Point> previous,
    Optional<MonthlyEgress> earlierThisMonth) {

  public BackupResult {
    previous = List.copyOf(previous);
  }

  /** This result, once retention has run (its duration then counts retention too). */
  public BackupResult withRetention(Optional<RetentionOutcome> outcome, Duration total) {
    return new BackupResult(
        manifest, location, manifestLocation, total, outcome, previous, earlierThisMonth);
  }

  /** The month's total under the prefix, this backup included; empty when it could not be read. */
  public Optional<MonthlyEgress> thisMonth() {
    return earlierThisMonth.map(earlier -> earlier.plus(manifest.receivedBytes()));
  }

  /** This backup as a point of its series, as the next one will read it. */
  public SeriesHistory.Point point() {
    return new SeriesHistory.Point(
        location.key(), manifest.startedAt(), archiveBytes(), Duration.between(manifest.startedAt(), manifest.finishedAt()));
  }

  /** The pg_dump archive's size: for an encrypted backup, the archive inside. */
  public long archiveBytes() {
    return manifest.encryption().map(ManifestEncryption::plaintextSizeBytes).orElse(manifest.sizeBytes());
  }

  public String database() {
    return manifest.database();
  }

  public long sizeBytes() {
    return manifest.sizeBytes();
  }

  public String sha256() {
    return manifest.sha256();
  }

  public Instant startedAt() {
    return manifest.startedAt();
  }

  public String pgDumpVersion() {
    return manifest.pgDumpVersion();
  }

  public String serverVersion() {
    return manifest.serverVersion();
  }

  /** How the archive was checked, e.g. {@code full: passed} or {@code none: skipped}. */
  public String verification() {
    return manifest.verification() + ": " + manifest.verificationResult();
  }

  /** Archives retention deleted; none in a dry run or without a policy. */
  public int retentionDeleted() {
    return retention.filter(r -> !r.dryRun()).map(r -> r.deleted().size()).orElse(0);
  }

  public double durationSeconds() {
    return duration.toMillis() / 1000.0;
  }
}
