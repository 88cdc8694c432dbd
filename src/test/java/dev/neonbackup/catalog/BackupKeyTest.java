package dev.neonbackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackupKeyTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant STAMPED_AT = Instant.parse("2026-11-21T03:15:00.123Z");
  private static final String KEY = "neon-backups/neondb/neondb-20261121T031500Z.dump";

  private static BackupKey neondbAt(String instant) {
    return new BackupKey(PREFIX, "neondb", Instant.parse(instant));
  }

  @Test
  void names_the_archive_by_prefix_database_and_utc_second() {
    assertEquals(KEY, new BackupKey(PREFIX, "neondb", STAMPED_AT).key());
  }

  @Test
  void builds_the_key_from_a_clock() {
    Clock clock = Clock.fixed(STAMPED_AT, ZoneOffset.UTC);
    assertEquals(KEY, BackupKey.at(PREFIX, "neondb", clock).key());
  }

  @Test
  void uses_utc_whatever_the_clocks_zone() {
    Clock clock = Clock.fixed(STAMPED_AT, ZoneId.of("America/Los_Angeles"));
    assertEquals(KEY, BackupKey.at(PREFIX, "neondb", clock).key());
  }

  @Test
  void drops_the_fraction_of_the_second() {
    BackupKey key = new BackupKey(PREFIX, "neondb", STAMPED_AT);
    assertEquals(Instant.parse("2026-11-21T03:15:00Z"), key.timestamp());
    assertEquals(new BackupKey(PREFIX, "neondb", Instant.parse("2026-11-21T03:15:00.999999Z")), key);
  }

  @Test
  void names_the_manifest_after_the_archive() {
    assertEquals(KEY + ".json", new BackupKey(PREFIX, "neondb", STAMPED_AT).manifestKey());
  }

  @Test
  void names_the_folder_of_the_database() {
    assertEquals("neon-backups/neondb/", new BackupKey(PREFIX, "neondb", STAMPED_AT).databaseFolder());
  }

  @Test
  void puts_the_database_at_the_bucket_root_under_an_empty_prefix() {
    assertEquals("neondb/neondb-20261121T031500Z.dump", new BackupKey("", "neondb", STAMPED_AT).key());
  }

  @Test
  void pads_every_field_of_the_stamp() {
    assertEquals(
        "neon-backups/neondb/neondb-20260102T030405Z.dump", neondbAt("2026-01-02T03:04:05Z").key());
  }

  @Test
  void moves_to_the_next_second() {
    BackupKey key = new BackupKey(PREFIX, "neondb", STAMPED_AT);
    assertEquals("neon-backups/neondb/neondb-20261121T031501Z.dump", key.nextSecond().key());
    assertEquals(KEY, key.key());
  }

  @Test
  void moves_to_the_next_second_across_a_year_boundary() {
    assertEquals(
        "neon-backups/neondb/neondb-20270101T000000Z.dump",
        neondbAt("2026-12-31T23:59:59Z").nextSecond().key());
  }

  @Test
  void sorts_keys_lexically_in_chronological_order() {
    List<Instant> instants =
        List.of(
            Instant.parse("2026-11-21T03:15:00Z"),
            Instant.parse("2026-11-21T03:15:01Z"),
            Instant.parse("2026-11-21T03:16:00Z"),
            Instant.parse("2026-11-21T09:59:59Z"),
            Instant.parse("2026-11-21T10:00:00Z"),
            Instant.parse("2026-11-21T23:59:59Z"),
            Instant.parse("2026-11-22T00:00:00Z"),
            Instant.parse("2026-11-30T23:59:59Z"),
            Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2026-09-30T23:59:59Z"),
            Instant.parse("2026-10-01T00:00:00Z"),
            Instant.parse("2026-12-31T23:59:59Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Instant.parse("2028-02-29T12:00:00Z"),
            Instant.parse("2099-12-31T23:59:59Z"),
            Instant.parse("2100-01-01T00:00:00Z"),
            Instant.parse("1999-12-31T23:59:59Z"),
            Instant.parse("2000-01-01T00:00:00Z"));
    List<Instant> shuffled = new ArrayList<>(instants);
    Collections.shuffle(shuffled, new java.util.Random(42));

    List<String> byTime =
        shuffled.stream()
            .sorted()
            .map(instant -> new BackupKey(PREFIX, "neondb", instant).key())
            .toList();
    List<String> byName =
        shuffled.stream()
            .map(instant -> new BackupKey(PREFIX, "neondb", instant).key())
            .sorted(Comparator.naturalOrder())
            .toList();
    assertEquals(byTime, byName);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "->",
      value = {
        "my db -> my%20db",
        "a/b -> a%2Fb",
        "caf\u00e9 -> caf%C3%A9",
        "\u6570\u636e -> %E6%95%B0%E6%8D%AE",
        "100% -> 100%25",
        "a+b~c -> a%2Bb%7Ec",
        "My_DB-2.0 -> My_DB-2.0"
      })
  void percent_encodes_a_database_name_into_one_segment(String database, String segment) {
    String key = new BackupKey(PREFIX, database, STAMPED_AT).key();
    assertEquals(PREFIX + segment + "/" + segment + "-20261121T031500Z.dump", key);
    assertEquals(3, key.split("/", -1).length, key);
  }

  @Test
  void keeps_names_that_differ_only_by_encoding_apart() {
    assertNotEquals(
        new BackupKey(PREFIX, "a/b", STAMPED_AT).key(), new BackupKey(PREFIX, "a%2Fb", STAMPED_AT).key());
  }

  // --- parse

  @Test
  void reads_its_own_key_back() {
    assertEquals(
        Optional.of(new BackupKey(PREFIX, "neondb", Instant.parse("2026-11-21T03:15:00Z"))),
        BackupKey.parse(PREFIX, "neondb", KEY));
  }

  @ParameterizedTest
  @ValueSource(strings = {"neondb", "my db", "a/b", "caf\u00e9", "100%", "\uD83D\uDC18"})
  void round_trips_keys_of_any_database_name(String database) {
    BackupKey key = new BackupKey(PREFIX, database, STAMPED_AT);
    assertEquals(Optional.of(key), BackupKey.parse(PREFIX, database, key.key()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "backups/", "a/b/c/"})
  void round_trips_under_any_prefix(String prefix) {
    BackupKey key = new BackupKey(prefix, "neondb", STAMPED_AT);
    assertEquals(Optional.of(key), BackupKey.parse(prefix, "neondb", key.key()));
  }

  @Test
  void round_trips_every_second_of_a_leap_day_boundary() {
    Instant start = Instant.parse("2028-02-28T23:59:58Z");
    for (int i = 0; i < 4; i++) {
      BackupKey key = new BackupKey(PREFIX, "neondb", start.plusSeconds(i));
      assertEquals(Optional.of(key), BackupKey.parse(PREFIX, "neondb", key.key()));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "neon-backups/neondb/neondb-20261121T031500Z.dump.json",
        "neon-backups/neondb/notes.txt",
        "neon-backups/neondb/",
        "neon-backups/neondb/neondb-latest.dump",
        "neon-backups/neondb/neondb-20261121T031500Z.sql",
        "neon-backups/neondb/neondb-20261121T031500Z.dump.tmp",
        "neon-backups/neondb/other-20261121T031500Z.dump",
        "neon-backups/neondb/sub/neondb-20261121T031500Z.dump",
        "neon-backups/neondb2/neondb2-20261121T031500Z.dump",
        "neon-backups/neondb/neondb2-20261121T031500Z.dump",
        "neon-backups/neondb/neondb-x-20261121T031500Z.dump",
        "neon-backups/postgres/postgres-20261121T031500Z.dump",
        "other/neondb/neondb-20261121T031500Z.dump",
        "neondb/neondb-20261121T031500Z.dump",
        "x/neon-backups/neondb/neondb-20261121T031500Z.dump"
      })
  void rejects_keys_that_are_not_an_archive_of_this_database_under_this_prefix(String key) {
    assertEquals(Optional.empty(), BackupKey.parse(PREFIX, "neondb", key));
  }

  @Test
  void rejects_an_archive_of_a_database_whose_name_starts_with_this_one() {
    String other = new BackupKey(PREFIX, "neondb2", STAMPED_AT).key();
    assertEquals(Optional.empty(), BackupKey.parse(PREFIX, "neondb", other));
    String mine = new BackupKey(PREFIX, "neondb", STAMPED_AT).key();
    assertEquals(Optional.empty(), BackupKey.parse(PREFIX, "neondb2", mine));
  }

  @Test
  void rejects_a_key_of_the_unencoded_name() {
    assertEquals(
        Optional.empty(),
        BackupKey.parse(PREFIX, "my db", "neon-backups/my db/my db-20261121T031500Z.dump"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "20261321T031500Z",
        "20261100T031500Z",
        "20261121T251500Z",
        "20261121T036000Z",
        "20261121T031560Z",
        "2026112T031500Z",
        "202611210T31500Z",
        "20261121T031500",
        "20261121 031500Z",
        "20261121t031500z",
        "2026-11-21T03:15",
        "20261121T0315000",
        "x0261121T031500Z",
        "+2026121T031500Z",
        ""
      })
  void rejects_malformed_stamps(String stamp) {
    assertEquals(
        Optional.empty(),
        BackupKey.parse(PREFIX, "neondb", "neon-backups/neondb/neondb-" + stamp + ".dump"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"20261131T031500Z", "20260230T031500Z", "20270229T000000Z", "20261121T240000Z"})
  void rejects_stamps_of_dates_and_times_that_do_not_exist(String stamp) {
    String key = "neon-backups/neondb/neondb-" + stamp + ".dump";
    assertEquals(Optional.empty(), BackupKey.parse(PREFIX, "neondb", key), key);
  }

  @Test
  void reads_back_only_keys_it_would_write_itself() {
    String key = "neon-backups/neondb/neondb-20261121T031500Z.dump";
    BackupKey parsed = BackupKey.parse(PREFIX, "neondb", key).orElseThrow();
    assertEquals(key, parsed.key());
    assertTrue(parsed.timestamp().getNano() == 0);
  }

  @ParameterizedTest
  @CsvSource({".,%2E", "..,%2E%2E"})
  void encodes_a_database_named_dot_or_dot_dot_so_it_is_never_a_path_step(
      String database, String segment) {
    BackupKey key = new BackupKey(PREFIX, database, STAMPED_AT);
    assertEquals(PREFIX + segment + "/" + segment + "-20261121T031500Z.dump", key.key());
    assertEquals(PREFIX + segment + "/", key.databaseFolder());
    assertEquals(Optional.of(key), BackupKey.parseAny(PREFIX, key.key()));
    assertEquals(Optional.of(key), BackupKey.parse(PREFIX, database, key.key()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"...", ".a", "a.", "a..b"})
  void keeps_other_names_with_dots_as_they_were(String database) {
    BackupKey key = new BackupKey(PREFIX, database, STAMPED_AT);
    assertEquals(PREFIX + database + "/" + database + "-20261121T031500Z.dump", key.key());
    assertEquals(Optional.of(key), BackupKey.parseAny(PREFIX, key.key()));
  }

  @Test
  void takes_a_prefix_that_leaves_room_for_the_longest_database_name() {
    String prefix = "p".repeat(BackupKey.MAX_KEY_BYTES - BackupKey.LONGEST_NAME_PART_BYTES - 1) + "/";
    BackupKey.requireShortEnough(prefix);
    String longest = " ".repeat(63); // PostgreSQL's longest name, each byte percent-encoded
    BackupKey key = new BackupKey(prefix, longest, STAMPED_AT, true);
    assertEquals(BackupKey.MAX_KEY_BYTES, key.manifestKey().length(), "an encrypted one's manifest");
  }

  @Test
  void an_encrypted_archive_ends_in_dump_age_and_reads_back_as_the_same_series() {
    BackupKey encrypted = new BackupKey("backups/", "app", STAMPED_AT, true);
    assertEquals("backups/app/app-20261121T031500Z.dump.age", encrypted.key());
    assertEquals("backups/app/app-20261121T031500Z.dump.age.json", encrypted.manifestKey());
    assertEquals(Optional.of(encrypted), BackupKey.parse("backups/", "app", encrypted.key()));
    assertEquals(Optional.of(encrypted), BackupKey.parseAny("backups/", encrypted.key()));
    assertEquals(encrypted.withEncryption(false).key(), "backups/app/app-20261121T031500Z.dump");
    assertEquals(encrypted.databaseFolder(), encrypted.withEncryption(false).databaseFolder());
    for (String foreign :
        List.of(
            "backups/app/app-20261121T031500Z.dump.age.json",
            "backups/app/app-20261121T031500Z.age",
            "backups/app/app-20261121T031500Z.dump.age.age",
            "backups/app/app-20261121T031500Z.dump.gpg",
            "backups/app/app-20261121T031500Z.dumpage")) {
      assertEquals(Optional.empty(), BackupKey.parseAny("backups/", foreign), foreign);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void refuses_a_prefix_that_could_make_a_key_longer_than_s3_takes_naming_s3_prefix(int extra) {
    String ascii = "p".repeat(BackupKey.MAX_KEY_BYTES - BackupKey.LONGEST_NAME_PART_BYTES + 1);
    String prefix = extra == 0 ? ascii : "\u00e9".repeat(ascii.length() / 2 + 1);
    dev.neonbackup.failure.InputException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.neonbackup.failure.InputException.class,
            () -> BackupKey.requireShortEnough(prefix));
    assertTrue(refused.getMessage().startsWith("s3-prefix is too long"), refused.getMessage());
  }
}
