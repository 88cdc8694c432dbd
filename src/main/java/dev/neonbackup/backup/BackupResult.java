package dev.neonbackup.backup;

import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.store.ObjectLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one backup stored: its manifest (what was dumped, by what, how it checked out), where the
 * archive and the manifest are, how long it took, and what retention did afterwards.
 */
public record BackupResult(
    Manifest manifest,
    ObjectLocation location,
    ObjectLocation manifestLocation,
    Duration duration,
    Optional<RetentionOutcome> retention) {

  /** This result, once retention has run (its duration then counts retention too). */
  public BackupResult withRetention(Optional<RetentionOutcome> outcome, Duration total) {
    return new BackupResult(manifest, location, manifestLocation, total, outcome);
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
