package dev.neonbackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MonthlyEgressTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant RUN = Instant.parse("2026-11-21T03:15:00Z");
  private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

  private final MemoryStore store = new MemoryStore();

  @Test
  void adds_up_every_database_of_the_month_under_the_prefix_before_the_run() {
    published("app", Instant.parse("2026-11-01T00:00:00Z"), OptionalLong.of(1000));
    published("app", RUN.minusSeconds(1), OptionalLong.of(200));
    published("other db", Instant.parse("2026-11-10T12:00:00Z"), OptionalLong.of(30));
    assertEquals(
        new MonthlyEgress(PREFIX, NOVEMBER, 1230, 3, 0), MonthlyEgress.before(store, PREFIX, RUN));
  }

  @Test
  void leaves_out_last_month_the_run_itself_anything_newer_and_other_prefixes() {
    published("app", Instant.parse("2026-10-31T23:59:59Z"), OptionalLong.of(1));
    published("app", RUN, OptionalLong.of(2));
    published("other", RUN, OptionalLong.of(4)); // another database of this run
    published("app", RUN.plusSeconds(1), OptionalLong.of(8));
    String elsewhere = new BackupKey("elsewhere/", "app", RUN.minusSeconds(5)).key();
    store.put(elsewhere, new byte[3]);
    assertEquals(
        new MonthlyEgress(PREFIX, NOVEMBER, 0, 0, 0), MonthlyEgress.before(store, PREFIX, RUN));
  }

  @Test
  void counts_backups_without_a_figure_or_with_a_damaged_manifest_as_unknown() {
    published("app", RUN.minusSeconds(30), OptionalLong.of(500));
    published("app", RUN.minusSeconds(20), OptionalLong.empty()); // written before the figure
    String damaged = new BackupKey(PREFIX, "app", RUN.minusSeconds(10)).key();
    store.put(damaged, new byte[10]);
    store.put(damaged + ".json", "{\"tool\": \"neon-backup-action\"}".getBytes(StandardCharsets.UTF_8));
    store.put(new BackupKey(PREFIX, "app", RUN.minusSeconds(5)).key(), new byte[10]); // no manifest
    assertEquals(
        new MonthlyEgress(PREFIX, NOVEMBER, 500, 1, 2), MonthlyEgress.before(store, PREFIX, RUN));
  }

  @Test
  void reads_one_listing_and_only_the_manifests_of_the_month() {
    for (int day = 1; day <= 28; day++) {
      published("app", Instant.parse("2026-10-20T03:15:00Z").plusSeconds(86_400L * day), OptionalLong.of(1));
    }
    published("app", RUN.minusSeconds(60), OptionalLong.of(7));
    MonthlyEgress month = MonthlyEgress.before(store, PREFIX, RUN);
    assertEquals(1, store.calls(MemoryStore.Operation.LIST));
    assertEquals(month.backups(), store.calls(MemoryStore.Operation.READ), month.toString());
    assertEquals(new MonthlyEgress(PREFIX, NOVEMBER, 17 + 7, 18, 0), month);
  }

  @Test
  void a_failed_listing_is_the_callers_to_warn_about() {
    store.fail(MemoryStore.Operation.LIST);
    assertThrows(FailureException.class, () -> MonthlyEgress.before(store, PREFIX, RUN));
  }

  @Test
  void this_backup_adds_its_figure_or_one_more_without_one() {
    MonthlyEgress earlier = new MonthlyEgress(PREFIX, NOVEMBER, 100, 2, 1);
    assertEquals(new MonthlyEgress(PREFIX, NOVEMBER, 150, 3, 1), earlier.plus(OptionalLong.of(50)));
    assertEquals(new MonthlyEgress(PREFIX, NOVEMBER, 100, 2, 2), earlier.plus(OptionalLong.empty()));
    assertEquals(4, earlier.plus(OptionalLong.empty()).backups());
  }

  private void published(String database, Instant stamp, OptionalLong received) {
    String key = new BackupKey(PREFIX, database, stamp).key();
    store.put(key, new byte[10]);
    Manifest manifest =
        Manifest.builder().manifestVersion(Manifest.CURRENT_VERSION).toolVersion("test")
            .database(database).objectKey(key).serverVersion("17.5").pgDumpVersion("17.6")
            .compression("default").startedAt(stamp).finishedAt(stamp.plusSeconds(1)).sizeBytes(10)
            .sha256("ab".repeat(32)).verification("full").verificationResult("passed")
            .encryption(Optional.empty()).receivedBytes(received).build();
    store.put(key + ".json", manifest.toJson().getBytes(StandardCharsets.UTF_8));
  }
}
