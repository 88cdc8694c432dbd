package dev.neonbackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackupCatalogTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");

  private final MemoryStore store = new MemoryStore();

  @Test
  void lists_each_databases_archives_newest_first_by_the_stamp_in_the_key() {
    String older = archive("app", NOON.minusSeconds(86_400), 10);
    String newer = archive("app", NOON, 20);
    String billing = archive("billing", NOON.minusSeconds(60), 30);
    BackupCatalog catalog = BackupCatalog.load(store, PREFIX);
    assertEquals(List.of(newer, older, billing), keys(catalog.entries()));
    assertEquals(List.of(20L, 10L, 30L), catalog.entries().stream().map(BackupCatalog.Entry::sizeBytes).toList());
    assertEquals(Set.of("app", "billing"), catalog.databases());
  }

  @Test
  void ignores_objects_that_are_not_this_tools_archives() {
    String ours = archive("app", NOON, 1);
    for (String foreign :
        List.of(
            PREFIX + "app/notes.txt",
            PREFIX + "app/app-20200101T000000Z.dump.bak",
            PREFIX + "app/app-2020.dump",
            PREFIX + "app/other-20200101T000000Z.dump",
            PREFIX + "_roles/roles-20200101T000000Z.sql",
            "elsewhere/app/app-20200101T000000Z.dump")) {
      store.put(foreign, new byte[] {0});
    }
    assertEquals(List.of(ours), keys(BackupCatalog.load(store, PREFIX).entries()));
  }

  @Test
  void reads_a_manifest_beside_its_archive_when_there_is_one() {
    String withManifest = archive("app", NOON, 5);
    Manifest manifest = manifest(withManifest);
    store.put(withManifest + ".json", manifest.toJson().getBytes(StandardCharsets.UTF_8));
    archive("app", NOON.minusSeconds(1), 5);
    List<BackupCatalog.Entry> entries = BackupCatalog.load(store, PREFIX).entries();
    assertEquals(manifest, entries.get(0).manifest().orElseThrow());
    assertTrue(entries.get(1).manifest().isEmpty());
  }

  @Test
  void a_manifest_that_is_not_this_tools_reads_as_absent() {
    String key = archive("app", NOON, 5);
    store.put(key + ".json", "{\"tool\": \"something-else\", \"manifestVersion\": 1}".getBytes(StandardCharsets.UTF_8));
    assertTrue(BackupCatalog.load(store, PREFIX).entries().get(0).manifest().isEmpty());
    store.put(key + ".json", "not json".getBytes(StandardCharsets.UTF_8));
    assertTrue(BackupCatalog.readManifest(store, key + ".json").isEmpty());
  }

  @Test
  void a_damaged_manifest_shows_as_damaged_in_the_table_and_the_json_not_as_no_manifest() {
    String key = archive("app", NOON, 5);
    String json = manifest(key).toJson();
    store.put(key + ".json", json.substring(0, json.length() - 10).getBytes(StandardCharsets.UTF_8));
    BackupCatalog catalog = BackupCatalog.load(store, PREFIX);
    assertTrue(catalog.entries().get(0).beside().isDamaged());
    assertTrue(catalog.table().lines().skip(1).findFirst().orElseThrow().contains("damaged manifest"), catalog.table());
    Object damage = dev.neonbackup.testing.JsonText.arrayOfObjects(catalog.json()).get(0).get("manifestDamage");
    assertEquals("cannot be read: not one JSON object", damage);
  }

  @Test
  void latest_is_the_newest_archive_of_that_database() {
    archive("app", NOON.minusSeconds(3_600), 1);
    String newest = archive("app", NOON, 1);
    archive("billing", NOON.plusSeconds(3_600), 1);
    BackupCatalog catalog = BackupCatalog.load(store, PREFIX);
    assertEquals(newest, catalog.latest("app").orElseThrow().key().key());
    assertTrue(catalog.latest("nobody").isEmpty());
  }

  @Test
  void archives_in_the_clear_and_encrypted_ones_are_one_series_for_list_and_latest() {
    String older = archive("app", NOON.minusSeconds(7_200), 1);
    String encrypted = new BackupKey(PREFIX, "app", NOON.minusSeconds(3_600), true).key();
    store.put(encrypted, new byte[] {1});
    BackupCatalog catalog = BackupCatalog.load(store, PREFIX);
    assertEquals(List.of(encrypted, older), keys(catalog.entries()));
    assertEquals(encrypted, catalog.latest("app").orElseThrow().key().key());
    assertTrue(catalog.table().contains(encrypted), catalog.table());
    List<Map<String, Object>> json = dev.neonbackup.testing.JsonText.arrayOfObjects(catalog.json());
    assertEquals(List.of(true, false), json.stream().map(o -> o.get("encrypted")).toList());
    String newest = archive("app", NOON, 1);
    assertEquals(newest, BackupCatalog.load(store, PREFIX).latest("app").orElseThrow().key().key());
  }

  @Test
  void only_database_keeps_the_entries_of_that_database() {
    archive("app", NOON, 1);
    String billing = archive("billing", NOON, 1);
    BackupCatalog only = BackupCatalog.load(store, PREFIX).onlyDatabase("billing");
    assertEquals(List.of(billing), keys(only.entries()));
    assertEquals(Set.of("billing"), only.databases());
  }

  @Test
  void list_json_keeps_a_hostile_manifest_field_as_data_on_lines_no_runner_takes_for_a_command() {
    String key = archive("app", NOON, 5);
    String hostile = "16.4\n::error title=x::y\r  ::add-mask::z ##[warning]w";
    Manifest manifest = Manifest.builder().manifestVersion(Manifest.CURRENT_VERSION).toolVersion("test")
        .database("app").objectKey(key).serverVersion("16.4").pgDumpVersion(hostile)
        .compression("default").startedAt(NOON).finishedAt(NOON).sizeBytes(5)
        .sha256("ab".repeat(32)).verification("full").verificationResult("passed").build();
    store.put(key + ".json", manifest.toJson().getBytes(StandardCharsets.UTF_8));
    String json = BackupCatalog.load(store, PREFIX).json();
    for (String line : json.split("\r\n|\r|\n")) {
      assertTrue(!line.strip().startsWith("::") && !line.contains("##["), json);
    }
    assertEquals(hostile, dev.neonbackup.testing.JsonText.arrayOfObjects(json).get(0).get("pgDumpVersion"));
  }

  private String archive(String database, Instant stamp, int size) {
    String key = new BackupKey(PREFIX, database, stamp).key();
    store.put(key, new byte[size]);
    return key;
  }

  private static Manifest manifest(String key) {
    return new Manifest(
        Manifest.CURRENT_VERSION, "test", "app", key, "16.4", "16.4", "default",
        NOON, NOON.plusSeconds(5), 5, "ab".repeat(32), "full", "passed",
        Optional.empty(), Optional.empty(), java.util.OptionalLong.empty());
  }

  private static List<String> keys(List<BackupCatalog.Entry> entries) {
    return entries.stream().map(entry -> entry.key().key()).toList();
  }
}
