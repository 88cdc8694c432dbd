package dev.neonbackup.restore;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.store.ChecksumMode;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.testing.ArchiveHeaders;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.MemoryStore.Operation;
import dev.neonbackup.testing.RecordingReporter;
import dev.neonbackup.testing.RecordingReporter.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupToRestoreTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");
  private static final byte[] PG_DUMP_15_ARCHIVE =
      ArchiveHeaders.custom(14, "app", "15.18 (Debian 15.18-0+deb12u1)", "15.18 (Debian 15.18-0+deb12u1)");

  private final MemoryStore store = new MemoryStore("backups");
  private final RecordingReporter reporter = new RecordingReporter();

  @Test
  void a_key_with_no_object_is_a_restore_failure_naming_it() {
    String key = new BackupKey(PREFIX, "app", NOON).key();
    FailureException failure = assertThrows(FailureException.class, () -> find(key, null));
    assertEquals(FailureKind.RESTORE, failure.kind());
    assertEquals("no backup at s3://backups/" + key, failure.getMessage());
  }

  @Test
  void latest_with_one_database_in_the_prefix_is_its_newest_archive() {
    archive("app", NOON.minusSeconds(60));
    String newest = archive("app", NOON);
    assertEquals(newest, find(RestoreSettings.LATEST, null).location().key());
  }

  @Test
  void latest_with_several_databases_asks_for_the_database_input() {
    archive("app", NOON);
    String billing = archive("billing", NOON);
    InputException failure =
        assertThrows(InputException.class, () -> find(RestoreSettings.LATEST, null));
    assertEquals(FailureKind.BAD_INPUT, failure.kind());
    assertTrue(failure.getMessage().contains("needs the database input"), failure.getMessage());
    assertTrue(failure.getMessage().endsWith("app, billing"), failure.getMessage());
    assertEquals(billing, find(RestoreSettings.LATEST, "billing").location().key());
  }

  @Test
  void latest_with_no_backup_under_the_prefix_says_so() {
    InputException unnamed =
        assertThrows(InputException.class, () -> find(RestoreSettings.LATEST, null));
    assertTrue(unnamed.getMessage().endsWith("holds backups of no database"), unnamed.getMessage());
    FailureException named =
        assertThrows(FailureException.class, () -> find(RestoreSettings.LATEST, "app"));
    assertEquals(FailureKind.RESTORE, named.kind());
    assertEquals("no backup of database 'app' under s3://backups/" + PREFIX, named.getMessage());
  }

  @Test
  void a_manifest_gives_the_pg_dump_major_without_reading_the_archive() {
    String key = archive("app", NOON);
    putManifest(key);
    store.fail(Operation.READ_HEAD);
    BackupToRestore backup = find(key, null);
    assertEquals(16, backup.dumpMajor());
    assertEquals(PG_DUMP_15_ARCHIVE.length, backup.size());
    assertEquals(List.of(), reporter.lines(Level.WARN));
  }

  @Test
  void without_a_manifest_it_warns_and_reads_the_archives_header() {
    String key = archive("app", NOON);
    BackupToRestore backup = find(key, null);
    assertEquals(15, backup.dumpMajor());
    assertEquals(Optional.empty(), backup.manifest());
    assertEquals(
        List.of("no manifest beside s3://backups/" + key + ": the SHA-256 cannot be checked"),
        reporter.lines(Level.WARN));
  }

  @Test
  void an_unreadable_header_without_a_manifest_is_refused_before_the_target_is_touched() {
    String key = new BackupKey(PREFIX, "app", NOON).key();
    store.put(key, "not an archive".getBytes(StandardCharsets.UTF_8));
    FailureException refused = assertThrows(FailureException.class, () -> find(key, null));
    assertEquals(FailureKind.VERIFY, refused.kind());
    assertTrue(refused.getMessage().contains("does not start with a pg_dump custom-format header"));
  }

  @Test
  void a_sha_that_differs_from_the_manifest_is_a_verify_failure() {
    String key = archive("app", NOON);
    Manifest manifest = putManifest(key);
    BackupToRestore backup = find(key, null);
    assertDoesNotThrow(() -> backup.checkSha(manifest.sha256(), "nothing happened"));
    FailureException failure =
        assertThrows(FailureException.class, () -> backup.checkSha("cd".repeat(32), "nothing happened"));
    assertEquals(FailureKind.VERIFY, failure.kind());
    assertTrue(failure.getMessage().endsWith("; nothing happened"), failure.getMessage());
  }

  @Test
  void without_a_manifest_any_sha_passes() {
    BackupToRestore backup = find(archive("app", NOON), null);
    assertDoesNotThrow(() -> backup.checkSha("cd".repeat(32), "nothing happened"));
  }

  @Test
  void a_manifest_that_exists_but_is_damaged_is_a_verify_failure_not_an_absence() {
    String key = archive("app", NOON);
    String json = putManifest(key).toJson();
    for (String damaged :
        List.of(
            json.substring(0, json.length() / 2),
            "",
            "{\"tool\": \"something-else\"}",
            json.replace("\"sizeBytes\" : " + PG_DUMP_15_ARCHIVE.length, "\"sizeBytes\" : 1")
                .replace("\"sizeBytes\": " + PG_DUMP_15_ARCHIVE.length, "\"sizeBytes\": 1"),
            json.replace(key, key.replace("120000Z", "110000Z")),
            json.replace("\"database\": \"app\"", "\"database\": \"billing\""))) {
        store.put(key + ".json", damaged.getBytes(StandardCharsets.UTF_8));
        FailureException refused = assertThrows(FailureException.class, () -> find(key, null), damaged);
        assertEquals(FailureKind.VERIFY, refused.kind(), damaged);
        assertTrue(
            refused.getMessage().startsWith("the manifest beside s3://backups/" + key + " is damaged: it "),
            refused.getMessage());
        assertTrue(refused.getMessage().endsWith("(the target was not touched)"), refused.getMessage());
    }
  }

  /**
   * A database whose name is percent-encoded in its key (a dot name, a slash, a space, non-ASCII)
   * is checked against its manifest by its decoded name: its own manifest matches, one of the
   * same key and size that names another database (or the encoded spelling) is damage.
   */
  @Test
  void a_manifest_is_checked_against_the_decoded_name_of_an_encoded_database() {
    for (String name : List.of(".", "..", "a/../b", "sales data", "bücher")) {
      String key = archive(name, NOON);
      putManifest(key, name);
      assertTrue(find(key, null).manifest().isPresent(), key);
      for (String other : List.of("app", key.substring(PREFIX.length(), key.indexOf('/', PREFIX.length())))) {
        putManifest(key, other);
        FailureException refused = assertThrows(FailureException.class, () -> find(key, null), other);
        assertEquals(FailureKind.VERIFY, refused.kind(), other);
      }
    }
  }

  @Test
  void latest_is_the_newest_archive_with_a_matching_manifest_never_a_foreign_far_future_one() {
    String published = archive("app", NOON);
    putManifest(published);
    archive("app", NOON.plusSeconds(60)); // newer, no manifest
    String foreign = new BackupKey(PREFIX, "app", Instant.parse("9999-12-31T23:59:59Z")).key();
    store.put(foreign, new byte[8]);
    assertEquals(published, find(RestoreSettings.LATEST, null).location().key());
    assertTrue(
        reporter.lines(Level.WARN).stream().anyMatch(line -> line.contains("passing over no manifest beside s3://backups/" + foreign)),
        reporter.transcript());
  }

  @Test
  void latest_skips_an_archive_whose_manifest_is_damaged() {
    String older = archive("app", NOON);
    putManifest(older);
    String newer = archive("app", NOON.plusSeconds(60));
    store.put(newer + ".json", "{\"tool\": \"neon-backup-action\"".getBytes(StandardCharsets.UTF_8));
    assertEquals(older, find(RestoreSettings.LATEST, null).location().key());
  }

  @Test
  void latest_falls_back_to_archives_without_a_manifest_only_when_none_has_one_and_says_so() {
    archive("app", NOON);
    String newest = archive("app", NOON.plusSeconds(60));
    assertEquals(newest, find(RestoreSettings.LATEST, null).location().key());
    assertTrue(
        reporter.lines(Level.WARN).stream().anyMatch(line -> line.contains("has a manifest that matches it; taking the newest archive without one")),
        reporter.transcript());
  }

  @Test
  void latest_without_manifests_refuses_a_foreign_far_future_object_by_its_header() {
    archive("app", NOON);
    String foreign = new BackupKey(PREFIX, "app", Instant.parse("9999-12-31T23:59:59Z")).key();
    store.put(foreign, new byte[8]);
    FailureException refused = assertThrows(FailureException.class, () -> find(RestoreSettings.LATEST, null));
    assertEquals(FailureKind.VERIFY, refused.kind());
    assertTrue(refused.getMessage().startsWith("s3://backups/" + foreign + " has no manifest"), refused.getMessage());
  }

  private BackupToRestore find(String backupKey, String database) {
    return BackupToRestore.find(store, reporter, settings(backupKey, database));
  }

  private static RestoreSettings settings(String backupKey, String database) {
    StorageSettings storage =
        new StorageSettings(
            "backups", PREFIX, "us-east-1", Optional.empty(), false, Optional.empty(), ChecksumMode.AUTO,
            dev.neonbackup.store.ServerSide.NONE, Optional.empty());
    return new RestoreSettings(
        storage,
        backupKey,
        Optional.ofNullable(database),
        Optional.of(ConnectionString.parse("postgresql://restorer@localhost/restored", RestoreSettings.TARGET_URL)),
        List.of(),
        false,
        1,
        Optional.empty(),
        RestoreSettings.Source.none(),
        Optional.empty(),
        Optional.empty());
  }

  private String archive(String database, Instant stamp) {
    String key = new BackupKey(PREFIX, database, stamp).key();
    store.put(key, PG_DUMP_15_ARCHIVE);
    return key;
  }

  /** A manifest that says pg_dump 16.4 wrote the archive (its header says 15). */
  private Manifest putManifest(String key) {
    return putManifest(key, "app");
  }

  private Manifest putManifest(String key, String database) {
    Manifest manifest =
        new Manifest(
            Manifest.CURRENT_VERSION, "test", database, key, "16.4", "16.4", "default",
            NOON, NOON.plusSeconds(5), PG_DUMP_15_ARCHIVE.length, "ab".repeat(32), "full", "passed",
            Optional.empty(), Optional.empty(), java.util.OptionalLong.empty());
    store.put(key + ".json", manifest.toJson().getBytes(StandardCharsets.UTF_8));
    return manifest;
  }
}
