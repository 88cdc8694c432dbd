package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.InputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPolicyTest {
  private static final String PREFIX = "neon-backups/";
  private static final String DB = "neondb";
  private static final Instant NOW = Instant.parse("2026-11-21T03:30:00Z");

  private static String key(String instant) {
    return key(DB, instant);
  }

  private static String key(String database, String instant) {
    return new BackupKey(PREFIX, database, Instant.parse(instant)).key();
  }

  private static List<String> keys(String... instants) {
    return Stream.of(instants).map(RetentionPolicyTest::key).toList();
  }

  private static RetentionPolicy keepLast(int n) {
    return RetentionPolicy.parse(String.valueOf(n), null, null, null, null);
  }

  private static RetentionPolicy keepDays(int n) {
    return RetentionPolicy.parse(null, String.valueOf(n), null, null, null);
  }

  private static RetentionPolicy keepDaily(int n) {
    return RetentionPolicy.parse(null, null, String.valueOf(n), null, null);
  }

  private static RetentionPolicy keepWeekly(int n) {
    return RetentionPolicy.parse(null, null, null, String.valueOf(n), null);
  }

  private static RetentionPolicy keepMonthly(int n) {
    return RetentionPolicy.parse(null, null, null, null, String.valueOf(n));
  }

  private static RetentionPolicy.Decision decide(RetentionPolicy policy, List<String> keys) {
    return policy.decide(PREFIX, DB, keys, null, NOW);
  }

  // --- keep-last

  @Test
  void keep_last_keeps_the_newest_n_and_deletes_the_rest_oldest_first() {
    List<String> listing =
        keys(
            "2026-11-17T03:00:00Z",
            "2026-11-18T03:00:00Z",
            "2026-11-19T03:00:00Z",
            "2026-11-20T03:00:00Z",
            "2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepLast(3), listing);

    assertEquals(
        keys("2026-11-21T03:00:00Z", "2026-11-20T03:00:00Z", "2026-11-19T03:00:00Z"),
        decision.keep());
    assertEquals(keys("2026-11-17T03:00:00Z", "2026-11-18T03:00:00Z"), decision.delete());
    assertEquals(
        Map.of(
            key("2026-11-21T03:00:00Z"), "last 3",
            key("2026-11-20T03:00:00Z"), "last 3",
            key("2026-11-19T03:00:00Z"), "last 3"),
        decision.reasons());
  }

  @Test
  void keep_last_with_more_than_there_are_deletes_nothing() {
    List<String> listing = keys("2026-11-20T03:00:00Z", "2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepLast(5), listing);

    assertEquals(keys("2026-11-21T03:00:00Z", "2026-11-20T03:00:00Z"), decision.keep());
    assertEquals(List.of(), decision.delete());
  }

  @Test
  void orders_by_the_stamp_in_the_key_whatever_the_order_of_the_listing() {
    List<String> inOrder = new ArrayList<>();
    Instant start = Instant.parse("2026-10-01T00:00:00Z");
    for (int i = 0; i < 50; i++) {
      inOrder.add(new BackupKey(PREFIX, DB, start.plus(Duration.ofHours(7L * i))).key());
    }
    List<String> shuffled = new ArrayList<>(inOrder);
    Collections.shuffle(shuffled, new Random(7));

    RetentionPolicy.Decision decision = decide(keepLast(4), shuffled);

    List<String> newestFirst = new ArrayList<>(inOrder);
    Collections.reverse(newestFirst);
    assertEquals(newestFirst.subList(0, 4), decision.keep());
    assertEquals(inOrder.subList(0, 46), decision.delete());
  }

  @Test
  void lists_a_key_that_appears_twice_in_the_listing_once() {
    String older = key("2026-11-20T03:00:00Z");
    String newer = key("2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepLast(1), List.of(older, newer, older, newer));

    assertEquals(List.of(newer), decision.keep());
    assertEquals(List.of(older), decision.delete());
  }

  // --- keep-days

  @Test
  void keep_days_keeps_every_backup_of_the_last_d_days() {
    List<String> listing =
        keys(
            "2026-11-10T03:00:00Z",
            "2026-11-14T03:29:59Z",
            "2026-11-14T03:30:00Z",
            "2026-11-18T03:00:00Z",
            "2026-11-18T15:00:00Z",
            "2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepDays(7), listing);

    assertEquals(
        keys(
            "2026-11-21T03:00:00Z",
            "2026-11-18T15:00:00Z",
            "2026-11-18T03:00:00Z",
            "2026-11-14T03:30:00Z"),
        decision.keep());
    assertEquals(keys("2026-11-10T03:00:00Z", "2026-11-14T03:29:59Z"), decision.delete());
    assertEquals("within 7 days", decision.reasons().get(key("2026-11-21T03:00:00Z")));
  }

  @Test
  void keep_days_includes_a_backup_exactly_d_days_old_and_not_one_second_older() {
    String exactlyOneDayOld = key("2026-11-20T03:30:00Z");
    String oneSecondOlder = key("2026-11-20T03:29:59Z");
    String newest = key("2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision =
        decide(keepDays(1), List.of(oneSecondOlder, exactlyOneDayOld, newest));

    assertEquals(List.of(newest, exactlyOneDayOld), decision.keep());
    assertEquals(List.of(oneSecondOlder), decision.delete());
    assertEquals("within 1 day", decision.reasons().get(exactlyOneDayOld));
  }

  @Test
  void keep_days_measures_from_now_including_its_fraction_of_a_second() {
    String atCutoffSecond = key("2026-11-20T03:30:00Z");
    Instant now = Instant.parse("2026-11-21T03:30:00.500Z");

    RetentionPolicy.Decision decision =
        keepDays(1)
            .decide(PREFIX, DB, List.of(atCutoffSecond, key("2026-11-21T03:00:00Z")), null, now);

    assertEquals(List.of(atCutoffSecond), decision.delete());
  }

  @Test
  void keep_days_keeps_backups_stamped_after_now() {
    String fromTheFuture = key("2026-11-22T03:00:00Z");
    String old = key("2026-11-01T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepDays(3), List.of(old, fromTheFuture));

    assertEquals(List.of(fromTheFuture), decision.keep());
    assertEquals(List.of(old), decision.delete());
  }

  // --- keep-daily

  @Test
  void keep_daily_keeps_only_the_newest_backup_of_each_day() {
    List<String> listing =
        keys(
            "2026-11-20T01:00:00Z",
            "2026-11-20T09:00:00Z",
            "2026-11-20T23:59:59Z",
            "2026-11-21T00:00:00Z",
            "2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepDaily(2), listing);

    assertEquals(keys("2026-11-21T03:00:00Z", "2026-11-20T23:59:59Z"), decision.keep());
    assertEquals(
        keys("2026-11-20T01:00:00Z", "2026-11-20T09:00:00Z", "2026-11-21T00:00:00Z"),
        decision.delete());
    assertEquals(
        Map.of(
            key("2026-11-21T03:00:00Z"), "daily 2026-11-21",
            key("2026-11-20T23:59:59Z"), "daily 2026-11-20"),
        decision.reasons());
  }

  @Test
  void keep_daily_counts_only_days_that_have_a_backup() {
    List<String> listing =
        keys(
            "2026-11-01T03:00:00Z",
            "2026-11-05T03:00:00Z",
            "2026-11-12T03:00:00Z",
            "2026-11-21T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepDaily(3), listing);

    assertEquals(
        keys("2026-11-21T03:00:00Z", "2026-11-12T03:00:00Z", "2026-11-05T03:00:00Z"),
        decision.keep());
    assertEquals(keys("2026-11-01T03:00:00Z"), decision.delete());
  }

  @Test
  void keep_daily_splits_days_at_utc_midnight_across_a_year_boundary() {
    List<String> listing =
        keys(
            "2026-12-30T23:00:00Z",
            "2026-12-31T12:00:00Z",
            "2026-12-31T23:59:59Z",
            "2027-01-01T00:00:00Z");

    RetentionPolicy.Decision decision =
        keepDaily(2).decide(PREFIX, DB, listing, null, Instant.parse("2027-01-01T01:00:00Z"));

    assertEquals(keys("2027-01-01T00:00:00Z", "2026-12-31T23:59:59Z"), decision.keep());
    assertEquals(keys("2026-12-30T23:00:00Z", "2026-12-31T12:00:00Z"), decision.delete());
    assertEquals("daily 2027-01-01", decision.reasons().get(key("2027-01-01T00:00:00Z")));
    assertEquals("daily 2026-12-31", decision.reasons().get(key("2026-12-31T23:59:59Z")));
  }

  @Test
  void keep_daily_treats_a_leap_day_as_a_day_of_its_own() {
    List<String> listing =
        keys(
            "2028-02-28T23:00:00Z",
            "2028-02-29T00:00:00Z",
            "2028-02-29T23:59:59Z",
            "2028-03-01T00:00:00Z");

    RetentionPolicy.Decision decision =
        keepDaily(3).decide(PREFIX, DB, listing, null, Instant.parse("2028-03-01T01:00:00Z"));

    assertEquals(
        keys("2028-03-01T00:00:00Z", "2028-02-29T23:59:59Z", "2028-02-28T23:00:00Z"),
        decision.keep());
    assertEquals(keys("2028-02-29T00:00:00Z"), decision.delete());
    assertEquals("daily 2028-02-29", decision.reasons().get(key("2028-02-29T23:59:59Z")));
  }

  // --- keep-weekly

  @Test
  void keep_weekly_starts_weeks_on_monday() {
    List<String> listing =
        keys(
            "2026-11-08T12:00:00Z", // Sunday, 2026-W45
            "2026-11-09T00:00:00Z", // Monday, 2026-W46
            "2026-11-15T23:59:59Z", // Sunday, 2026-W46
            "2026-11-16T00:00:00Z"); // Monday, 2026-W47

    RetentionPolicy.Decision decision = decide(keepWeekly(2), listing);

    assertEquals(keys("2026-11-16T00:00:00Z", "2026-11-15T23:59:59Z"), decision.keep());
    assertEquals(keys("2026-11-08T12:00:00Z", "2026-11-09T00:00:00Z"), decision.delete());
    assertEquals(
        Map.of(
            key("2026-11-16T00:00:00Z"), "weekly 2026-W47",
            key("2026-11-15T23:59:59Z"), "weekly 2026-W46"),
        decision.reasons());
  }

  @Test
  void keep_weekly_puts_new_years_day_2027_in_iso_week_53_of_2026() {
    List<String> listing =
        keys(
            "2026-12-27T03:00:00Z", // Sunday, 2026-W52
            "2026-12-31T03:00:00Z", // Thursday, 2026-W53
            "2027-01-01T03:00:00Z", // Friday, 2026-W53
            "2027-01-04T03:00:00Z"); // Monday, 2027-W01

    RetentionPolicy.Decision decision =
        keepWeekly(3).decide(PREFIX, DB, listing, null, Instant.parse("2027-01-05T00:00:00Z"));

    assertEquals(
        keys("2027-01-04T03:00:00Z", "2027-01-01T03:00:00Z", "2026-12-27T03:00:00Z"),
        decision.keep());
    assertEquals(keys("2026-12-31T03:00:00Z"), decision.delete());
    assertEquals("weekly 2027-W01", decision.reasons().get(key("2027-01-04T03:00:00Z")));
    assertEquals("weekly 2026-W53", decision.reasons().get(key("2027-01-01T03:00:00Z")));
    assertEquals("weekly 2026-W52", decision.reasons().get(key("2026-12-27T03:00:00Z")));
  }

  @Test
  void keep_weekly_puts_the_last_days_of_december_2024_in_week_1_of_2025() {
    List<String> listing =
        keys(
            "2024-12-29T03:00:00Z", // Sunday, 2024-W52
            "2024-12-30T03:00:00Z", // Monday, 2025-W01
            "2025-01-02T03:00:00Z"); // Thursday, 2025-W01

    RetentionPolicy.Decision decision =
        keepWeekly(2).decide(PREFIX, DB, listing, null, Instant.parse("2025-01-03T00:00:00Z"));

    assertEquals(keys("2025-01-02T03:00:00Z", "2024-12-29T03:00:00Z"), decision.keep());
    assertEquals(keys("2024-12-30T03:00:00Z"), decision.delete());
    assertEquals("weekly 2025-W01", decision.reasons().get(key("2025-01-02T03:00:00Z")));
    assertEquals("weekly 2024-W52", decision.reasons().get(key("2024-12-29T03:00:00Z")));
  }

  @Test
  void keep_weekly_counts_only_weeks_that_have_a_backup() {
    List<String> listing =
        keys("2026-09-01T03:00:00Z", "2026-10-01T03:00:00Z", "2026-11-01T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepWeekly(2), listing);

    assertEquals(keys("2026-11-01T03:00:00Z", "2026-10-01T03:00:00Z"), decision.keep());
    assertEquals(keys("2026-09-01T03:00:00Z"), decision.delete());
  }

  // --- keep-monthly

  @Test
  void keep_monthly_keeps_the_newest_backup_of_each_month_across_a_year_boundary() {
    List<String> listing =
        keys(
            "2026-11-30T23:59:59Z",
            "2026-12-01T00:00:00Z",
            "2026-12-31T23:59:59Z",
            "2027-01-01T00:00:00Z",
            "2027-01-15T03:00:00Z");

    RetentionPolicy.Decision decision =
        keepMonthly(3).decide(PREFIX, DB, listing, null, Instant.parse("2027-01-16T00:00:00Z"));

    assertEquals(
        keys("2027-01-15T03:00:00Z", "2026-12-31T23:59:59Z", "2026-11-30T23:59:59Z"),
        decision.keep());
    assertEquals(keys("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"), decision.delete());
    assertEquals(
        Map.of(
            key("2027-01-15T03:00:00Z"), "monthly 2027-01",
            key("2026-12-31T23:59:59Z"), "monthly 2026-12",
            key("2026-11-30T23:59:59Z"), "monthly 2026-11"),
        decision.reasons());
  }

  @Test
  void keep_monthly_ends_february_of_a_leap_year_on_the_29th() {
    List<String> listing =
        keys(
            "2028-01-31T03:00:00Z",
            "2028-02-28T03:00:00Z",
            "2028-02-29T03:00:00Z",
            "2028-03-01T03:00:00Z");

    RetentionPolicy.Decision decision =
        keepMonthly(2).decide(PREFIX, DB, listing, null, Instant.parse("2028-03-02T00:00:00Z"));

    assertEquals(keys("2028-03-01T03:00:00Z", "2028-02-29T03:00:00Z"), decision.keep());
    assertEquals(keys("2028-01-31T03:00:00Z", "2028-02-28T03:00:00Z"), decision.delete());
    assertEquals("monthly 2028-02", decision.reasons().get(key("2028-02-29T03:00:00Z")));
  }

  @Test
  void keep_monthly_counts_only_months_that_have_a_backup() {
    List<String> listing =
        keys("2025-06-15T03:00:00Z", "2026-01-15T03:00:00Z", "2026-11-01T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepMonthly(2), listing);

    assertEquals(keys("2026-11-01T03:00:00Z", "2026-01-15T03:00:00Z"), decision.keep());
    assertEquals(keys("2025-06-15T03:00:00Z"), decision.delete());
  }

  // --- rules combined

  @Test
  void keeps_what_any_rule_keeps() {
    List<String> listing =
        keys(
            "2026-09-30T03:00:00Z",
            "2026-10-15T03:00:00Z",
            "2026-10-31T03:00:00Z",
            "2026-11-08T03:00:00Z",
            "2026-11-13T03:00:00Z",
            "2026-11-15T03:00:00Z",
            "2026-11-19T03:00:00Z",
            "2026-11-20T03:00:00Z",
            "2026-11-20T04:00:00Z",
            "2026-11-20T15:00:00Z",
            "2026-11-21T03:00:00Z");
    RetentionPolicy policy = RetentionPolicy.parse("1", "1", "2", "2", "2");

    RetentionPolicy.Decision decision = decide(policy, listing);

    assertEquals(
        keys(
            "2026-11-21T03:00:00Z", // last 1, within 1 day, daily, weekly, monthly
            "2026-11-20T15:00:00Z", // within 1 day, daily
            "2026-11-20T04:00:00Z", // within 1 day (the cutoff is 2026-11-20T03:30Z)
            "2026-11-15T03:00:00Z", // weekly 2026-W46
            "2026-10-31T03:00:00Z"), // monthly 2026-10
        decision.keep());
    assertEquals(
        keys(
            "2026-09-30T03:00:00Z",
            "2026-10-15T03:00:00Z",
            "2026-11-08T03:00:00Z",
            "2026-11-13T03:00:00Z",
            "2026-11-19T03:00:00Z",
            "2026-11-20T03:00:00Z"),
        decision.delete());
    assertEquals(
        "last 1, within 1 day, daily 2026-11-21, weekly 2026-W47, monthly 2026-11",
        decision.reasons().get(key("2026-11-21T03:00:00Z")));
    assertEquals(
        "within 1 day, daily 2026-11-20", decision.reasons().get(key("2026-11-20T15:00:00Z")));
    assertEquals("within 1 day", decision.reasons().get(key("2026-11-20T04:00:00Z")));
    assertEquals("weekly 2026-W46", decision.reasons().get(key("2026-11-15T03:00:00Z")));
    assertEquals("monthly 2026-10", decision.reasons().get(key("2026-10-31T03:00:00Z")));
  }

  @Test
  void gives_a_reason_for_every_kept_key_and_for_no_other_in_the_order_of_keep() {
    List<String> listing = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T03:00:00Z");
    for (int day = 0; day < 300; day += 3) {
      listing.add(new BackupKey(PREFIX, DB, start.plus(Duration.ofDays(day))).key());
    }

    RetentionPolicy.Decision decision =
        decide(RetentionPolicy.parse("2", "10", "5", "4", "6"), listing);

    assertEquals(decision.keep(), List.copyOf(decision.reasons().keySet()));
    assertEquals(listing.size(), decision.keep().size() + decision.delete().size());
  }

  // --- keys that are not this database's archives

  @ParameterizedTest
  @ValueSource(
      strings = {
        "neon-backups/neondb/neondb-20261101T030000Z.dump.json",
        "neon-backups/neondb/notes.txt",
        "neon-backups/neondb/",
        "neon-backups/neondb/neondb-latest.dump",
        "neon-backups/neondb/neondb-20261101T030000Z.dump.tmp",
        "neon-backups/neondb/neondb-20261131T030000Z.dump",
        "neon-backups/neondb/neondb-2026110T030000Z.dump",
        "neon-backups/neondb/sub/neondb-20261101T030000Z.dump",
        "neon-backups/neondb2/neondb2-20261101T030000Z.dump",
        "neon-backups/neondb/neondb2-20261101T030000Z.dump",
        "other/neondb/neondb-20261101T030000Z.dump",
        "neondb/neondb-20261101T030000Z.dump",
        "README.md"
      })
  void never_deletes_a_key_that_is_not_an_archive_of_this_database(String foreign) {
    List<String> listing =
        List.of(foreign, key("2026-11-01T03:00:00Z"), key("2026-11-21T03:00:00Z"));

    RetentionPolicy.Decision decision = decide(keepLast(1), listing);

    assertEquals(keys("2026-11-21T03:00:00Z"), decision.keep());
    assertEquals(keys("2026-11-01T03:00:00Z"), decision.delete());
    assertFalse(decision.reasons().containsKey(foreign));
  }

  @Test
  void touches_only_the_given_database_of_several_under_one_prefix() {
    List<String> listing = new ArrayList<>();
    for (String database : List.of("neondb", "neondb2", "analytics")) {
      for (String day : List.of("18", "19", "20", "21")) {
        listing.add(key(database, "2026-11-" + day + "T03:00:00Z"));
        listing.add(key(database, "2026-11-" + day + "T03:00:00Z") + ".json");
      }
    }

    RetentionPolicy.Decision neondb = keepLast(1).decide(PREFIX, "neondb", listing, null, NOW);
    RetentionPolicy.Decision neondb2 = keepLast(2).decide(PREFIX, "neondb2", listing, null, NOW);

    assertEquals(List.of(key("neondb", "2026-11-21T03:00:00Z")), neondb.keep());
    assertEquals(
        List.of(
            key("neondb", "2026-11-18T03:00:00Z"),
            key("neondb", "2026-11-19T03:00:00Z"),
            key("neondb", "2026-11-20T03:00:00Z")),
        neondb.delete());
    assertEquals(
        List.of(key("neondb2", "2026-11-21T03:00:00Z"), key("neondb2", "2026-11-20T03:00:00Z")),
        neondb2.keep());
    assertEquals(
        List.of(key("neondb2", "2026-11-18T03:00:00Z"), key("neondb2", "2026-11-19T03:00:00Z")),
        neondb2.delete());
  }

  // --- the key just stored

  @Test
  void keeps_the_key_just_stored_even_when_a_newer_stamp_already_exists() {
    String newerFromSkewedClock = key("2026-11-21T04:00:00Z");
    String justStored = key("2026-11-21T03:00:00Z");
    String older = key("2026-11-20T03:00:00Z");

    RetentionPolicy.Decision decision =
        keepLast(1)
            .decide(PREFIX, DB, List.of(older, justStored, newerFromSkewedClock), justStored, NOW);

    assertEquals(List.of(newerFromSkewedClock, justStored), decision.keep());
    assertEquals(List.of(older), decision.delete());
    assertEquals("just stored", decision.reasons().get(justStored));
    assertEquals("last 1", decision.reasons().get(newerFromSkewedClock));
  }

  @Test
  void counts_the_key_just_stored_even_when_the_listing_missed_it() {
    String justStored = key("2026-11-21T03:00:00Z");
    List<String> listing = keys("2026-11-19T03:00:00Z", "2026-11-20T03:00:00Z");

    RetentionPolicy.Decision decision = keepLast(2).decide(PREFIX, DB, listing, justStored, NOW);

    assertEquals(keys("2026-11-21T03:00:00Z", "2026-11-20T03:00:00Z"), decision.keep());
    assertEquals(keys("2026-11-19T03:00:00Z"), decision.delete());
    assertEquals("just stored, last 2", decision.reasons().get(justStored));
  }

  @Test
  void leaves_a_just_stored_key_that_does_not_parse_out_of_both_lists() {
    String justStored = "neon-backups/neondb/neondb-manual.dump";
    List<String> listing =
        List.of(justStored, key("2026-11-20T03:00:00Z"), key("2026-11-21T03:00:00Z"));

    RetentionPolicy.Decision decision = keepLast(1).decide(PREFIX, DB, listing, justStored, NOW);

    assertEquals(keys("2026-11-21T03:00:00Z"), decision.keep());
    assertEquals(keys("2026-11-20T03:00:00Z"), decision.delete());
  }

  // --- always at least one

  @Test
  void keeps_the_newest_when_the_rules_would_delete_every_backup() {
    List<String> listing = keys("2026-10-01T03:00:00Z", "2026-10-02T03:00:00Z");

    RetentionPolicy.Decision decision = decide(keepDays(7), listing);

    assertEquals(keys("2026-10-02T03:00:00Z"), decision.keep());
    assertEquals(keys("2026-10-01T03:00:00Z"), decision.delete());
    assertEquals(Map.of(key("2026-10-02T03:00:00Z"), "newest"), decision.reasons());
  }

  @Test
  void keeps_the_newest_archive_when_the_just_stored_key_does_not_parse() {
    List<String> listing = keys("2026-10-01T03:00:00Z", "2026-10-02T03:00:00Z");

    RetentionPolicy.Decision decision =
        keepDays(7).decide(PREFIX, DB, listing, "neon-backups/neondb/neondb-manual.dump", NOW);

    assertEquals(keys("2026-10-02T03:00:00Z"), decision.keep());
    assertEquals(keys("2026-10-01T03:00:00Z"), decision.delete());
  }

  @Test
  void decides_nothing_when_there_are_no_backups() {
    RetentionPolicy.Decision decision =
        decide(keepLast(1), List.of("neon-backups/neondb/notes.txt"));

    assertEquals(List.of(), decision.keep());
    assertEquals(List.of(), decision.delete());
    assertEquals(Map.of(), decision.reasons());
  }

  // --- empty policy

  @Test
  void is_empty_when_no_input_is_given() {
    assertTrue(RetentionPolicy.parse(null, null, null, null, null).isEmpty());
    assertTrue(RetentionPolicy.parse("", " ", "\t", "\n", "  ").isEmpty());
  }

  @Test
  void is_not_empty_when_any_one_input_is_given() {
    assertFalse(keepLast(1).isEmpty());
    assertFalse(keepDays(1).isEmpty());
    assertFalse(keepDaily(1).isEmpty());
    assertFalse(keepWeekly(1).isEmpty());
    assertFalse(keepMonthly(1).isEmpty());
  }

  @Test
  void an_empty_policy_deletes_nothing() {
    List<String> listing = keys("2020-01-01T00:00:00Z", "2026-11-20T03:00:00Z");

    RetentionPolicy.Decision decision =
        decide(RetentionPolicy.parse(null, null, null, null, null), listing);

    assertEquals(List.of(), decision.delete());
    assertEquals(keys("2026-11-20T03:00:00Z", "2020-01-01T00:00:00Z"), decision.keep());
    assertEquals("no retention policy", decision.reasons().get(key("2020-01-01T00:00:00Z")));
  }

  // --- parse

  @Test
  void reads_each_input_into_its_own_rule() {
    RetentionPolicy policy = RetentionPolicy.parse("1", "2", "3", "4", "5");

    assertEquals(
        new RetentionPolicy(
            OptionalInt.of(1),
            OptionalInt.of(2),
            OptionalInt.of(3),
            OptionalInt.of(4),
            OptionalInt.of(5)),
        policy);
  }

  @Test
  void reads_numbers_with_surrounding_space_and_leading_zeros() {
    assertEquals(
        OptionalInt.of(7), RetentionPolicy.parse(" 07 ", null, null, null, null).keepLast());
  }

  static Stream<Arguments> badCounts() {
    List<String> inputs =
        List.of("keep-last", "keep-days", "keep-daily", "keep-weekly", "keep-monthly");
    List<String> values = List.of("0", "00", "-1", "x", "1.5", "1e3", "+3", "3 days", "\u0663");
    List<Arguments> cases = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      for (String value : values) {
        cases.add(Arguments.of(inputs.get(i), i, value));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} ''{2}''")
  @MethodSource("badCounts")
  void refuses_anything_but_a_whole_number_of_at_least_one_naming_the_input(
      String input, int position, String value) {
    InputException e = assertThrows(InputException.class, () -> parseOne(position, value));

    assertEquals(
        input + " must be a whole number of at least 1 (got '" + value + "')", e.getMessage());
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void refuses_a_number_too_large_for_an_int_naming_the_input(int position) {
    String[] names = {"keep-last", "keep-days", "keep-daily", "keep-weekly", "keep-monthly"};

    InputException e = assertThrows(InputException.class, () -> parseOne(position, "2147483648"));

    assertEquals(
        names[position] + " must be at most 2147483647 (got '2147483648')", e.getMessage());
  }

  @Test
  void accepts_the_largest_int() {
    RetentionPolicy policy = RetentionPolicy.parse(null, "2147483647", null, null, null);

    RetentionPolicy.Decision decision =
        decide(policy, keys("1970-01-01T00:00:00Z", "2026-11-20T03:00:00Z"));

    assertEquals(List.of(), decision.delete());
  }

  @Test
  void refuses_to_build_a_rule_of_zero_in_code() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RetentionPolicy(
                OptionalInt.of(0),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty()));
  }

  private static RetentionPolicy parseOne(int position, String value) {
    String[] raw = new String[5];
    raw[position] = value;
    return RetentionPolicy.parse(raw[0], raw[1], raw[2], raw[3], raw[4]);
  }

  // --- scale

  @Test
  void decides_three_years_of_hourly_backups() {
    Instant first = Instant.parse("2024-01-01T00:00:00Z");
    Instant end = Instant.parse("2027-01-01T00:00:00Z");
    List<String> listing = new ArrayList<>();
    for (Instant at = first; at.isBefore(end); at = at.plus(Duration.ofHours(1))) {
      listing.add(new BackupKey(PREFIX, DB, at).key());
      listing.add(new BackupKey(PREFIX, DB, at).manifestKey());
    }
    Collections.shuffle(listing, new Random(3));

    RetentionPolicy.Decision decision =
        RetentionPolicy.parse("24", null, "7", "4", "12").decide(PREFIX, DB, listing, null, end);

    // last 24: every hour of 2026-12-31; daily 7 adds 23:00 of Dec 25-30; weekly 4 adds 23:00 of
    // Dec 20 (W51) and Dec 13 (W50), W53 and W52 being kept already; monthly 12 adds the last hour
    // of Jan-Nov 2026. 24 + 6 + 2 + 11 = 43.
    assertEquals(43, decision.keep().size());
    assertEquals(24 * (366 + 365 + 365) - 43, decision.delete().size());
    assertEquals(key("2026-12-31T23:00:00Z"), decision.keep().get(0));
    assertEquals(key("2026-01-31T23:00:00Z"), decision.keep().get(42));
    assertEquals(key("2024-01-01T00:00:00Z"), decision.delete().get(0));
    assertEquals("weekly 2026-W50", decision.reasons().get(key("2026-12-13T23:00:00Z")));
  }
}
