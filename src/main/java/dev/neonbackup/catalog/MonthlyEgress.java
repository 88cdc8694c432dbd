package dev.neonbackup.catalog;

import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.StoredObject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the server sent pg_dump this calendar month (UTC), over every database under a prefix, as
 * the manifests tell: Neon bills it as egress, and its Free plan suspends a project after 5 GB a
 * month. {@code counted} backups had a figure; {@code unknown} ones had none (older manifests, a
 * run without the figure, a damaged manifest).
 */
public record MonthlyEgress(String prefix, YearMonth month, long bytes, int counted, int unknown) {

  /**
   * The published backups under {@code prefix} whose key's stamp is in the month of {@code before}
   * and earlier than it (so a run never counts itself): one listing of the prefix, then only the
   * manifests of those archives.
   */
  public static MonthlyEgress before(BackupStore store, String prefix, Instant before) {
    YearMonth month = YearMonth.from(before.atOffset(ZoneOffset.UTC));
    List<StoredObject> objects = store.list(prefix);
    Set<String> keys = objects.stream().map(StoredObject::key).collect(Collectors.toSet());
    MonthlyEgress total = new MonthlyEgress(prefix, month, 0, 0, 0);
    for (StoredObject object : objects) {
      Optional<BackupKey> key =
          BackupKey.parseAny(prefix, object.key())
              .filter(k -> k.timestamp().isBefore(before))
              .filter(k -> YearMonth.from(k.timestamp().atOffset(ZoneOffset.UTC)).equals(month))
              .filter(k -> keys.contains(k.manifestKey()));
      if (key.isPresent()) {
        total = total.plus(receivedBy(store, key.get(), object.size()));
      }
    }
    return total;
  }

  private static OptionalLong receivedBy(BackupStore store, BackupKey key, long size) {
    return ManifestCheck.of(store, key.key(), size, Optional.of(key.database()))
        .manifest()
        .map(Manifest::receivedBytes)
        .orElse(OptionalLong.empty());
  }

  /** This total with one more backup: its figure, or one more without a figure. */
  public MonthlyEgress plus(OptionalLong received) {
    return received.isPresent()
        ? new MonthlyEgress(prefix, month, bytes + received.getAsLong(), counted + 1, unknown)
        : new MonthlyEgress(prefix, month, bytes, counted, unknown + 1);
  }

  /** Every backup of the month that counted, with a figure or without. */
  public int backups() {
    return counted + unknown;
  }
}
