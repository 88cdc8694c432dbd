package dev.neonbackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neonbackup.catalog.SeriesHistory.Point;
import dev.neonbackup.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeriesHistoryTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant RUN = Instant.parse("2026-11-21T03:15:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  private final MemoryStore store = new MemoryStore();

  @Test
  void gives_the_published_backups_before_the_run_newest_first_with_size_and_duration() {
    published("app", RUN.minus(DAY.multipliedBy(2)), 100, 7);
    published("app", RUN.minus(DAY), 120, 9);
    List<Point> points = SeriesHistory.recent(store, PREFIX, "app", RUN, 13);
    assertEquals(
        List.of(
            new Point(key("app", RUN.minus(DAY)), RUN.minus(DAY), 120, Duration.ofSeconds(9)),
            new Point(key("app", RUN.minus(DAY.multipliedBy(2))), RUN.minus(DAY.multipliedBy(2)), 100, Duration.ofSeconds(7))),
        points);
  }

  @Test
  void never_counts_the_run_itself_nor_anything_newer() {
    published("app", RUN, 100, 1);
    published("app", RUN.plusSeconds(1), 100, 1);
    published("app", RUN.minusSeconds(1), 50, 1);
    assertEquals(List.of(RUN.minusSeconds(1)), stamps(SeriesHistory.recent(store, PREFIX, "app", RUN, 13)));
  }

  @Test
  void skips_archives_without_a_matching_manifest_and_other_databases() {
    published("app", RUN.minus(DAY.multipliedBy(3)), 100, 1);
    store.put(key("app", RUN.minus(DAY.multipliedBy(2))), new byte[10]); // no manifest
    String damaged = key("app", RUN.minus(DAY));
    store.put(damaged, new byte[10]);
    store.put(damaged + ".json", manifest("app", damaged, RUN.minus(DAY), 11, 1).toJson().getBytes(StandardCharsets.UTF_8));
    published("app2", RUN.minusSeconds(5), 100, 1);
    published("ap", RUN.minusSeconds(5), 100, 1);
    assertEquals(List.of(RUN.minus(DAY.multipliedBy(3))), stamps(SeriesHistory.recent(store, PREFIX, "app", RUN, 13)));
  }

  @Test
  void stops_at_the_limit() {
    for (int day = 1; day <= 20; day++) {
      published("app", RUN.minus(DAY.multipliedBy(day)), day, 1);
    }
    List<Point> points = SeriesHistory.recent(store, PREFIX, "app", RUN, 13);
    assertEquals(13, points.size());
    assertEquals(RUN.minus(DAY), points.get(0).stamp());
    assertEquals(RUN.minus(DAY.multipliedBy(13)), points.get(12).stamp());
  }

  @Test
  void measures_an_encrypted_backup_by_the_archive_inside() {
    Instant stamp = RUN.minus(DAY);
    String key = new BackupKey(PREFIX, "app", stamp, true).key();
    store.put(key, new byte[300]);
    Manifest manifest =
        Manifest.builder().manifestVersion(Manifest.CURRENT_VERSION).toolVersion("test").database("app")
            .objectKey(key).serverVersion("17.5").pgDumpVersion("17.5").compression("default")
            .startedAt(stamp).finishedAt(stamp.plusSeconds(3)).sizeBytes(300).sha256("ab".repeat(32))
            .verification("full").verificationResult("passed")
            .encryption(Optional.of(new ManifestEncryption(List.of("age1x"), "cd".repeat(32), 250)))
            .build();
    store.put(key + ".json", manifest.toJson().getBytes(StandardCharsets.UTF_8));
    assertEquals(250, SeriesHistory.recent(store, PREFIX, "app", RUN, 13).get(0).archiveBytes());
  }

  @Test
  void a_folder_of_damaged_manifests_costs_a_bounded_number_of_reads() {
    for (int day = 1; day <= 50; day++) {
      String key = key("app", RUN.minus(DAY.multipliedBy(day)));
      store.put(key, new byte[10]);
      store.put(key + ".json", "{}".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(List.of(), SeriesHistory.recent(store, PREFIX, "app", RUN, 13));
    assertEquals(26, store.calls(MemoryStore.Operation.READ));
  }

  private void published(String database, Instant stamp, int size, int seconds) {
    String key = key(database, stamp);
    store.put(key, new byte[size]);
    store.put(key + ".json", manifest(database, key, stamp, size, seconds).toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static String key(String database, Instant stamp) {
    return new BackupKey(PREFIX, database, stamp).key();
  }

  private static Manifest manifest(String database, String key, Instant stamp, long size, int seconds) {
    return new Manifest(
        Manifest.CURRENT_VERSION, "test", database, key, "17.5", "17.5", "default",
        stamp, stamp.plusSeconds(seconds), size, "ab".repeat(32), "full", "passed", Optional.empty(), Optional.empty(), java.util.OptionalLong.empty());
  }

  private static List<Instant> stamps(List<Point> points) {
    return points.stream().map(Point::stamp).toList();
  }
}
