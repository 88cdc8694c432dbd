package dev.neonbackup.backup;

import dev.neonbackup.store.ObjectLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What one backup stored. */
public record BackupResult(
    String database,
    ObjectLocation location,
    ObjectLocation manifest,
    long sizeBytes,
    String sha256,
    Instant startedAt,
    Duration duration,
    String pgDumpVersion,
    String serverVersion,
    String verification,
    Optional<RetentionOutcome> retention) {

  /** This result, once retention has run (its duration then counts retention too). */
  public BackupResult withRetention(Optional<RetentionOutcome> outcome, Duration total) {
    return new BackupResult(
        database,
        location,
        manifest,
        sizeBytes,
        sha256,
        startedAt,
        total,
        pgDumpVersion,
        serverVersion,
        verification,
        outcome);
  }

  /** Archives retention deleted; none in a dry run or without a policy. */
  public int retentionDeleted() {
    return retention.filter(r -> !r.dryRun()).map(r -> r.deleted().size()).orElse(0);
  }

  public double durationSeconds() {
    return duration.toMillis() / 1000.0;
  }
}
