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
        java.util.List.of());
  }
}
