package dev.neonbackup.testing;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.store.ObjectLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The result of a backup as the use case returns it, for tests of what reports on it. */
public final class StoredResults {
  private StoredResults() {}

  /**
   * {@code database} stored in bucket {@code b} under {@code neon-backups/} at
   * 2026-11-21T03:15:00Z: {@code sizeBytes}, 2.5 s, full verification passed, no retention.
   */
  public static BackupResult of(String database, long sizeBytes) {
    String key = "neon-backups/" + database + "/" + database + "-20261121T031500Z.dump";
    Manifest manifest =
        new Manifest(
            Manifest.CURRENT_VERSION,
            "test",
            database,
            key,
            "17.5",
            "17.6",
            "default",
            Instant.parse("2026-11-21T03:15:00Z"),
            Instant.parse("2026-11-21T03:15:02Z"),
            sizeBytes,
            "ab".repeat(32),
            "full",
            "passed",
            Optional.empty(), Optional.empty(), java.util.OptionalLong.empty());
    return new BackupResult(
        manifest,
        new ObjectLocation("b", key),
        new ObjectLocation("b", key + ".json"),
        Duration.ofMillis(2500),
        Optional.empty(),
        java.util.List.of(),
        Optional.empty());
  }

  /** {@code result} with the bytes the server sent pg_dump and this month's earlier total. */
  public static BackupResult withReceived(
      BackupResult result,
      java.util.OptionalLong received,
      Optional<dev.neonbackup.catalog.MonthlyEgress> earlierThisMonth) {
    Manifest m = result.manifest();
    Manifest manifest =
        new Manifest(
            m.manifestVersion(), m.toolVersion(), m.database(), m.objectKey(), m.serverVersion(),
            m.pgDumpVersion(), m.compression(), m.startedAt(), m.finishedAt(), m.sizeBytes(),
            m.sha256(), m.verification(), m.verificationResult(), m.encryption(), m.source(),
            received);
    return new BackupResult(
        manifest, result.location(), result.manifestLocation(), result.duration(),
        result.retention(), result.previous(), earlierThisMonth);
  }
}
