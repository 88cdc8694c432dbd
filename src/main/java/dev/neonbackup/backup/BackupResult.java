package dev.neonbackup.backup;

import dev.neonbackup.storage.ObjectLocation;
import java.time.Duration;
import java.time.Instant;

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
    String verification) {

  public double durationSeconds() {
    return duration.toMillis() / 1000.0;
  }
}
