package dev.neonbackup.catalog;

import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.StoredObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The last backups of one database, as their manifests tell: what a new backup compares itself
 * with (its progress estimate, its size change, the trend in its summary). Only archives whose
 * manifest matches them count, as in {@code check}; encrypted and plain archives are one series,
 * measured by the pg_dump archive (inside the encryption).
 */
public final class SeriesHistory {
  /** How many backups a summary shows, this one included. */
  public static final int SHOWN = 14;

  private SeriesHistory() {}

  /** One published backup. */
  public record Point(String key, Instant stamp, long archiveBytes, Duration duration) {
    static Point of(BackupKey key, Manifest manifest) {
      long archive =
          manifest.encryption().map(ManifestEncryption::plaintextSizeBytes).orElse(manifest.sizeBytes());
      Duration took = Duration.between(manifest.startedAt(), manifest.finishedAt());
      return new Point(key.key(), key.timestamp(), archive, took.isNegative() ? Duration.ZERO : took);
    }
  }

  /**
   * Up to {@code limit} published backups of {@code database} under {@code prefix}, newest first,
   * older than {@code before} (the run's own stamp, so a backup never compares with itself). Reads
   * one listing of the database's folder and at most twice {@code limit} manifests, so a folder of
   * damaged manifests costs a bounded number of reads.
   */
  public static List<Point> recent(
      BackupStore store, String prefix, String database, Instant before, int limit) {
    String folder = new BackupKey(prefix, database, before).databaseFolder();
    List<StoredObject> objects = store.list(folder);
    Set<String> keys = objects.stream().map(StoredObject::key).collect(Collectors.toSet());
    return objects.stream()
        .filter(object -> keys.contains(BackupKey.manifestKeyOf(object.key())))
        .flatMap(object -> candidate(prefix, database, object, before).stream())
        .sorted(Comparator.comparing((Candidate c) -> c.key().timestamp()).reversed())
        .limit(2L * limit)
        .flatMap(c -> c.read(store, database).stream())
        .limit(limit)
        .toList();
  }

  private record Candidate(BackupKey key, long size) {
    Optional<Point> read(BackupStore store, String database) {
      return ManifestCheck.of(store, key.key(), size, Optional.of(database))
          .manifest()
          .map(manifest -> Point.of(key, manifest));
    }
  }

  private static Optional<Candidate> candidate(
      String prefix, String database, StoredObject object, Instant before) {
    return BackupKey.parse(prefix, database, object.key())
        .filter(key -> key.timestamp().isBefore(before))
        .map(key -> new Candidate(key, object.size()));
  }
}
