package dev.neonbackup.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupCatalog.Entry;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.catalog.ManifestCheck;
import dev.neonbackup.catalog.ManifestEncryption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The decision of {@code check}, over catalog entries and a fixed clock. A backup exactly max-age
 * old is still fresh (max-age is the most it may be); one exactly max-shrink percent smaller than
 * the one before still passes (it must not be smaller than that).
 */
class FreshnessCheckTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final CheckLimits LIMITS = new CheckLimits(Duration.ofHours(26), 50);
  private static final String WHERE = "s3://bucket/neon-backups/";

  private final List<Entry> entries = new ArrayList<>();

  @Test
  void a_fresh_backup_that_grew_passes_with_its_age_size_and_change() {
    published("app", NOW.minusSeconds(86_400 + 3_600), 1_000);
    String newest = published("app", NOW.minusSeconds(3_600), 1_250);
    DatabaseFreshness app = only(check());
    assertEquals(List.of(), app.problems());
    DatabaseFreshness.Newest found = app.newest().orElseThrow();
    assertEquals(newest, found.key());
    assertEquals(3_600, found.ageSeconds());
    assertEquals(1_250, found.sizeBytes());
    assertEquals(OptionalDouble.of(25.0), found.changePercent());
  }

  @Test
  void a_backup_exactly_max_age_old_is_fresh_and_one_second_more_is_stale() {
    published("app", NOW.minus(Duration.ofHours(26)), 10);
    assertEquals(List.of(), only(check()).problems());

    entries.clear();
    String stale = published("app", NOW.minus(Duration.ofHours(26)).minusSeconds(1), 10);
    DatabaseFreshness app = only(check());
    assertEquals(93_601, app.newest().orElseThrow().ageSeconds());
    assertEquals(1, app.problems().size());
    String problem = app.problems().get(0);
    assertTrue(problem.contains(stale) && problem.contains("26h 0m 1s old"), problem);
    assertTrue(problem.contains("max-age 26h"), problem);
  }

  @Test
  void a_backup_exactly_max_shrink_smaller_passes_and_one_byte_less_is_a_problem() {
    published("app", NOW.minusSeconds(7_200), 1_000);
    published("app", NOW.minusSeconds(60), 500);
    DatabaseFreshness exactly = only(check());
    assertEquals(List.of(), exactly.problems());
    assertEquals(OptionalDouble.of(-50.0), exactly.newest().orElseThrow().changePercent());

    entries.clear();
    String previous = published("app", NOW.minusSeconds(7_200), 1_000);
    String shrunk = published("app", NOW.minusSeconds(60), 499);
    DatabaseFreshness app = only(check());
    assertEquals(1, app.problems().size());
    String problem = app.problems().get(0);
    assertTrue(problem.contains(shrunk) && problem.contains(previous), problem);
    assertTrue(problem.contains("50.1% smaller") && problem.contains("max-shrink 50%"), problem);
  }

  @Test
  void max_shrink_0_refuses_any_shrink_and_100_none() {
    published("app", NOW.minusSeconds(7_200), 1_000);
    published("app", NOW.minusSeconds(60), 999);
    assertEquals(1, only(check(new CheckLimits(Duration.ofHours(26), 0))).problems().size());
    entries.clear();
    published("app", NOW.minusSeconds(7_200), 1_000);
    published("app", NOW.minusSeconds(60), 0);
    assertEquals(List.of(), only(check(new CheckLimits(Duration.ofHours(26), 100))).problems());
  }

  @Test
  void a_stale_and_shrunken_backup_has_two_problems() {
    published("app", NOW.minus(Duration.ofDays(3)), 1_000);
    published("app", NOW.minus(Duration.ofDays(2)), 10);
    FreshnessReport report = check();
    assertEquals(2, only(report).problems().size());
    assertEquals(2, report.problemCount());
    assertTrue(report.problemLines().stream().allMatch(line -> line.startsWith("database app: ")));
  }

  @Test
  void the_first_backup_has_no_previous_to_compare_with() {
    published("app", NOW.minusSeconds(60), 5);
    DatabaseFreshness app = only(check());
    assertEquals(List.of(), app.problems());
    assertEquals(OptionalDouble.empty(), app.newest().orElseThrow().changePercent());
  }

  @Test
  void encrypted_and_plain_archives_are_one_series_compared_by_the_archive_inside() {
    published("app", NOW.minusSeconds(7_200), 1_000);
    String encrypted = encryptedPublished("app", NOW.minusSeconds(60), 1_100, 400);
    DatabaseFreshness app = only(check());
    assertEquals(encrypted, app.newest().orElseThrow().key());
    assertEquals(400, app.newest().orElseThrow().sizeBytes());
    assertEquals(1, app.problems().size(), app.problems().toString());
  }

  @Test
  void only_damaged_manifests_count_as_no_backup() {
    damaged("app", NOW.minusSeconds(60), 10);
    damaged("app", NOW.minusSeconds(120), 10);
    DatabaseFreshness app = only(check());
    assertTrue(app.newest().isEmpty());
    assertEquals(
        List.of("no backup with a valid manifest (2 archives: 2 with a damaged manifest)"),
        app.problems());
  }

  @Test
  void a_newer_damaged_or_unmanaged_archive_is_passed_over_for_the_newest_published_one() {
    String previous = published("app", NOW.minusSeconds(86_400), 1_000);
    String newest = published("app", NOW.minusSeconds(3_600), 900);
    damaged("app", NOW.minusSeconds(600), 1);
    unmanaged("app", NOW.minusSeconds(300), 1);
    hidden("app", NOW.minusSeconds(100), 2_000);
    DatabaseFreshness app = only(check());
    assertEquals(newest, app.newest().orElseThrow().key());
    assertEquals(OptionalDouble.of(-10.0), app.newest().orElseThrow().changePercent());
    assertTrue(previous.compareTo(newest) < 0);
  }

  @Test
  void hidden_and_unmanaged_archives_alone_are_no_backup() {
    unmanaged("app", NOW.minusSeconds(60), 10);
    hidden("app", NOW.minusSeconds(30), 10);
    assertEquals(
        List.of("no backup with a valid manifest (1 archive: 1 without a manifest)"),
        only(check()).problems());
  }

  @Test
  void a_named_database_without_any_backup_is_a_problem_and_others_are_left_out() {
    published("app", NOW.minusSeconds(60), 5);
    published("billing", NOW.minusSeconds(60), 5);
    FreshnessReport report =
        new FreshnessCheck(LIMITS, clock()).check(WHERE, entries, List.of("billing", "ghost"));
    assertEquals(
        List.of("billing", "ghost"),
        report.databases().stream().map(DatabaseFreshness::database).toList());
    assertEquals(List.of("database ghost: no backup at all"), report.problemLines());
  }

  @Test
  void without_names_every_database_under_the_prefix_is_checked_in_order() {
    published("billing", NOW.minusSeconds(60), 5);
    published("app", NOW.minusSeconds(60), 5);
    FreshnessReport report = check();
    assertEquals(
        List.of("app", "billing"),
        report.databases().stream().map(DatabaseFreshness::database).toList());
    assertEquals(0, report.problemCount());
  }

  @Test
  void an_empty_prefix_is_a_problem() {
    FreshnessReport report = check();
    assertEquals(List.of(), report.databases());
    assertEquals(List.of("no backups at all under " + WHERE), report.problemLines());
    assertEquals(1, report.problemCount());
  }

  private FreshnessReport check() {
    return check(LIMITS);
  }

  private FreshnessReport check(CheckLimits limits) {
    return new FreshnessCheck(limits, clock()).check(WHERE, entries, List.of());
  }

  private static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  private static DatabaseFreshness only(FreshnessReport report) {
    assertEquals(1, report.databases().size(), report.databases().toString());
    return report.databases().get(0);
  }

  private String published(String database, Instant stamp, long size) {
    BackupKey key = new BackupKey(PREFIX, database, stamp);
    Manifest manifest = manifest(key, size, Optional.empty());
    entries.add(new Entry(key, size, new ManifestCheck(Optional.of(manifest), Optional.empty())));
    return key.key();
  }

  private String encryptedPublished(String database, Instant stamp, long size, long inside) {
    BackupKey key = new BackupKey(PREFIX, database, stamp, true);
    ManifestEncryption encryption = new ManifestEncryption(List.of("age1x"), "cd".repeat(32), inside);
    Manifest manifest = manifest(key, size, Optional.of(encryption));
    entries.add(new Entry(key, size, new ManifestCheck(Optional.of(manifest), Optional.empty())));
    return key.key();
  }

  private void damaged(String database, Instant stamp, long size) {
    BackupKey key = new BackupKey(PREFIX, database, stamp);
    entries.add(new Entry(key, size, new ManifestCheck(Optional.empty(), Optional.of("is garbage"))));
  }

  private void unmanaged(String database, Instant stamp, long size) {
    entries.add(new Entry(new BackupKey(PREFIX, database, stamp), size, ManifestCheck.missing()));
  }

  /** An archive a delete marker hides, with a matching manifest: it was published, then deleted. */
  private void hidden(String database, Instant stamp, long size) {
    BackupKey key = new BackupKey(PREFIX, database, stamp);
    Manifest manifest = manifest(key, size, Optional.empty());
    entries.add(
        new Entry(
            key,
            size,
            new ManifestCheck(Optional.of(manifest), Optional.empty()),
            Optional.empty(),
            Optional.of("v1")));
  }

  private static Manifest manifest(BackupKey key, long size, Optional<ManifestEncryption> encryption) {
    return new Manifest(
        Manifest.CURRENT_VERSION, "test", key.database(), key.key(), "16.4", "16.4", "zstd:1",
        key.timestamp(), key.timestamp().plusSeconds(5), size, "ab".repeat(32), "full", "passed",
        encryption, Optional.empty(), java.util.OptionalLong.empty());
  }
}
