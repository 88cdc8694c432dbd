package dev.neonbackup.check;

import dev.neonbackup.catalog.BackupCatalog.Entry;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.catalog.ManifestEncryption;
import dev.neonbackup.report.Units;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The decision of {@code check}, on what the catalog holds: per database, the newest archive with a
 * matching manifest (archives without one, with a damaged one, or hidden by a delete marker never
 * count) must be at most {@code max-age} old by the stamp in its key, and not more than {@code
 * max-shrink} percent smaller than the published one before it. Encrypted and plain archives are
 * one series, compared by the size of the pg_dump archive (inside the encryption).
 */
public final class FreshnessCheck {
  private final CheckLimits limits;
  private final Clock clock;

  public FreshnessCheck(CheckLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Checks the databases {@code named}, or, when none is named, every database among {@code
   * entries} that no delete marker hides; {@code where} (the bucket and prefix) names the place when it holds no backup at all.
   */
  public FreshnessReport check(String where, List<Entry> all, List<String> named) {
    // A delete marker hides an archive from every reader: it is no backup to count on.
    List<Entry> entries = all.stream().filter(e -> e.hiddenVersion().isEmpty()).toList();
    List<String> databases =
        named.isEmpty()
            ? List.copyOf(new TreeSet<>(entries.stream().map(Entry::database).toList()))
            : named;
    List<DatabaseFreshness> results = new ArrayList<>();
    for (String database : databases) {
      results.add(check(database, entries.stream().filter(e -> e.database().equals(database)).toList()));
    }
    List<String> overall =
        entries.isEmpty() && named.isEmpty() ? List.of("no backups at all under " + where) : List.of();
    return new FreshnessReport(results, overall);
  }

  private DatabaseFreshness check(String database, List<Entry> archives) {
    if (archives.isEmpty()) {
      return new DatabaseFreshness(database, Optional.empty(), List.of("no backup at all"));
    }
    List<Entry> published =
        archives.stream()
            .filter(e -> e.beside().matches())
            .sorted(Comparator.comparing((Entry e) -> e.key().timestamp()).reversed())
            .toList();
    if (published.isEmpty()) {
      return new DatabaseFreshness(database, Optional.empty(), List.of(unpublished(archives)));
    }
    Entry newest = published.get(0);
    Optional<Entry> previous = published.stream().skip(1).findFirst();
    long age = Duration.between(newest.key().timestamp(), clock.instant()).getSeconds();
    long size = archiveSize(newest);
    OptionalDouble change =
        previous.map(p -> CheckLimits.changePercent(archiveSize(p), size)).orElse(OptionalDouble.empty());
    List<String> problems = new ArrayList<>();
    if (age > limits.maxAge().getSeconds()) {
      problems.add(
          "the newest backup, " + newest.key().key() + ", is " + FreshnessText.age(age) + " old, more than "
              + CheckLimits.MAX_AGE + " " + CheckLimits.shown(limits.maxAge()));
    }
    previous
        .filter(p -> limits.shrankTooMuch(archiveSize(p), size))
        .ifPresent(p -> problems.add(shrunk(newest, p, change.getAsDouble())));
    return new DatabaseFreshness(
        database,
        Optional.of(new DatabaseFreshness.Newest(newest.key().key(), age, size, change)),
        problems);
  }

  private String shrunk(Entry newest, Entry previous, double change) {
    return String.format(
        Locale.ROOT,
        "the newest backup, %s, is %.1f%% smaller than the one before it, %s (%s against %s),"
            + " more than %s %d%%",
        newest.key().key(),
        -change,
        previous.key().key(),
        Units.bytes(archiveSize(newest)),
        Units.bytes(archiveSize(previous)),
        CheckLimits.MAX_SHRINK,
        limits.maxShrinkPercent());
  }

  /** The pg_dump archive's size: for an encrypted one, the archive inside. */
  private static long archiveSize(Entry entry) {
    Manifest manifest = entry.manifest().orElseThrow();
    return manifest.encryption().map(ManifestEncryption::plaintextSizeBytes).orElse(manifest.sizeBytes());
  }

  private static String unpublished(List<Entry> archives) {
    long damaged = archives.stream().filter(e -> e.beside().isDamaged()).count();
    long without = archives.size() - damaged;
    List<String> kinds = new ArrayList<>();
    if (damaged > 0) {
      kinds.add(damaged + " with a damaged manifest");
    }
    if (without > 0) {
      kinds.add(without + " without a manifest");
    }
    long count = archives.size();
    return "no backup with a valid manifest (" + count + (count == 1 ? " archive: " : " archives: ")
        + String.join(", ", kinds) + ")";
  }
}
