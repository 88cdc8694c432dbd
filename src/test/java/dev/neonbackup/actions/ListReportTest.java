package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.ManifestCheck;
import dev.neonbackup.testing.JsonText;
import dev.neonbackup.testing.MemoryStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListReportTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");

  @Test
  void backups_is_the_list_json_array_on_one_line() {
    BackupCatalog catalog = catalogOf("app", "a|b");
    String backups = ListReport.outputs(catalog).get("backups");
    assertFalse(backups.contains("\n"), backups);
    assertEquals(JsonText.arrayOfObjects(catalog.json()), JsonText.arrayOfObjects(backups));
  }

  @Test
  void the_summary_is_a_markdown_table_a_row_per_backup() {
    String markdown = ListReport.summary(catalogOf("app", "a|b"), "s3://bucket/neon-backups/");
    assertTrue(markdown.startsWith("### Neon backups: 2 archives in `s3://bucket/neon-backups/`\n\n"), markdown);
    assertTrue(markdown.contains("| database | time (UTC) | size | verification | key |\n|---|---|---|---|---|\n"), markdown);
    assertTrue(
        markdown.contains(
            "| `a\\|b` | 2026-11-21 12:00:00 | 7 B | no manifest | `" + new BackupKey(PREFIX, "a|b", NOON).key() + "` |\n"),
        markdown);
  }

  @Test
  void an_empty_prefix_has_no_table() {
    String markdown = ListReport.summary(catalogOf(), "s3://bucket/neon-backups/");
    assertEquals("### Neon backups: 0 archives in `s3://bucket/neon-backups/`\n\n", markdown);
  }

  @Test
  void a_hidden_archive_in_glacier_says_so_in_its_row() {
    BackupKey key = new BackupKey(PREFIX, "app", NOON);
    BackupCatalog.Entry entry =
        new BackupCatalog.Entry(key, 7, ManifestCheck.missing(), Optional.of("GLACIER"), Optional.of("v1"));
    assertEquals(
        "| `app` | 2026-11-21 12:00:00 | 7 B | no manifest | `" + key.key() + "` `[hidden by a delete marker;"
            + " version-id v1]  [GLACIER: thaw it (S3 RestoreObject) before a restore]` |\n",
        ListReport.row(entry));
  }

  private static BackupCatalog catalogOf(String... databases) {
    MemoryStore store = new MemoryStore();
    for (String database : databases) {
      store.put(new BackupKey(PREFIX, database, NOON).key(), new byte[7]);
    }
    return BackupCatalog.load(store, PREFIX);
  }
}
