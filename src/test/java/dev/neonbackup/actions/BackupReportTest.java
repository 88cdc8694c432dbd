package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.testing.JsonText;
import dev.neonbackup.testing.StoredResults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.YearMonth;
import dev.neonbackup.catalog.MonthlyEgress;
import org.junit.jupiter.api.Test;

class BackupReportTest {
  private static final dev.neonbackup.check.CheckLimits LIMITS = dev.neonbackup.check.CheckLimits.of(null, null);

  private static BackupResult result(String database) {
    return StoredResults.of(database, 1234);
  }

  @Test
  void one_archive_sets_the_single_archive_outputs_and_a_one_element_backups_array() {
    Map<String, String> outputs =
        BackupReport.outputs(
            new RunOutcome(List.of(result("neondb")), Map.of(), Optional.empty()));
    assertEquals("neon-backups/neondb/neondb-20261121T031500Z.dump", outputs.get("object-key"));
    assertEquals("1234", outputs.get("size-bytes"));
    assertEquals("2.5", outputs.get("duration-seconds"));
    assertEquals("0", outputs.get("retention-deleted"));
    assertTrue(outputs.get("backups").startsWith("[{\"database\":\"neondb\",\"object-key\":"));
    assertFalse(outputs.get("backups").contains("\n"), "one line");
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("database", "neondb");
    described.putAll(outputs);
    described.remove("backups");
    List<Map<String, Object>> backups = JsonText.arrayOfObjects(outputs.get("backups"));
    assertEquals(List.of(described), backups);
    assertEquals(List.copyOf(described.keySet()), List.copyOf(backups.get(0).keySet()));
    assertFalse(outputs.containsKey("roles-key"));
  }

  @Test
  void several_archives_are_described_only_in_the_backups_array() {
    Map<String, String> outputs =
        BackupReport.outputs(
            new RunOutcome(
                List.of(result("a"), result("b\"q")),
                Map.of(),
                Optional.of(new ObjectLocation("b", "neon-backups/_roles/roles-20261121T031500Z.sql"))));
    assertFalse(outputs.containsKey("object-key"));
    String backups = outputs.get("backups");
    assertTrue(backups.startsWith("[{\"database\":\"a\""), backups);
    assertTrue(backups.contains("{\"database\":\"b\\\"q\""), "names are JSON-escaped: " + backups);
    assertTrue(backups.endsWith("}]"), backups);
    assertEquals(
        List.of("a", "b\"q"),
        JsonText.arrayOfObjects(backups).stream().map(b -> b.get("database")).toList());
    assertEquals("neon-backups/_roles/roles-20261121T031500Z.sql", outputs.get("roles-key"));
  }

  /** Names from outside cannot end their code span, split their table cell or add lines. */
  @Test
  void a_hostile_table_or_database_name_stays_inside_its_cell_in_the_summary() {
    String hostile = "x` | 1 | 1 | ok |\n\n#### Restore drill: passed\n![p](https://example.invalid/p.png) ``";
    String drill =
        BackupReport.drillSummary(
            new dev.neonbackup.restore.RestoreDrill.Outcome(
                Map.of("public.plain", 1L, hostile, 5L), Map.of("public.plain", 1L, hostile, 4L)));
    List<String> lines = drill.strip().lines().toList();
    assertEquals(6, lines.size(), drill);
    assertEquals("| `public.plain` | 1 | 1 | ok |", lines.get(4), drill);
    String row = lines.get(5);
    assertTrue(row.startsWith("| ``` x` \\| 1 \\| 1 \\| ok \\|\\n\\n#### Restore"), row);
    assertTrue(row.endsWith(" ``` | 5 | 4 | **differs** |"), row);
    assertEquals(4, row.replace("\\|", "").chars().filter(c -> c == '|').count() - 1, row);
    assertEquals(1, drill.lines().filter(l -> l.startsWith("#")).count(), drill);

    String summary = BackupReport.summary(result(hostile.replace("\n", "")), LIMITS);
    assertTrue(summary.startsWith("### Neon backup: ``` x` \\| 1"), summary);
    assertEquals(1, summary.lines().filter(l -> l.startsWith("#")).count(), summary);
  }

  /** The exact drill: equal counts with another checksum are a difference, shown in its column. */
  @Test
  void the_exact_drill_shows_checksums_and_fails_on_a_changed_row_with_equal_counts() {
    var same = new dev.neonbackup.postgres.TableCounts.Rows(2, "123");
    var drill =
        new dev.neonbackup.restore.RestoreDrill.Outcome(
            Map.of("public.a", same, "public.b", new dev.neonbackup.postgres.TableCounts.Rows(5, "9")),
            Map.of("public.a", same, "public.b", new dev.neonbackup.postgres.TableCounts.Rows(5, "8")),
            true);
    assertEquals(List.of("public.b"), drill.mismatches());
    List<String> lines = BackupReport.drillSummary(drill).strip().lines().toList();
    assertEquals("#### Restore drill (exact, in the temporary branch): FAILED", lines.get(0));
    assertEquals("| `public.a` | 2 | 2 | equal | ok |", lines.get(4));
    assertEquals("| `public.b` | 5 | 5 | differs | **differs** |", lines.get(5));
  }

  @Test
  void the_summary_gives_sizes_for_people_and_the_rate() {
    String summary = BackupReport.summary(StoredResults.of("neondb", 275_835_252), LIMITS);
    assertTrue(summary.contains("| Size | 263.1 MiB (275,835,252 bytes); no earlier backup to compare with |"), summary);
    assertTrue(summary.contains("| Duration | 2.5 s at 110.3 MB/s |"), summary);
    assertFalse(summary.contains("#### Last"), "a first backup has no trend: " + summary);
  }

  @Test
  void the_bytes_received_are_an_output_and_a_row_with_the_months_total() {
    BackupResult counted =
        StoredResults.withReceived(
            result("neondb"),
            java.util.OptionalLong.of(283_312_128),
            Optional.of(new MonthlyEgress("neon-backups/", YearMonth.of(2026, 11), 3_000_000_000L, 29, 2)));
    assertEquals("283312128", BackupReport.outputs(counted).get("received-bytes"));
    String summary = BackupReport.summary(counted, LIMITS);
    assertTrue(
        summary.contains(
            "| Received from the server | 270.2 MiB (what the server sent pg_dump; what Neon counts as egress) |\n"),
        summary);
    assertTrue(
        summary.contains(
            "| Received this month | 3.1 GiB over 30 backups under `neon-backups/`; 2 more without a figure (2026-11, UTC) |\n"),
        summary);
  }

  @Test
  void an_unknown_figure_is_an_empty_output_no_row_and_one_more_without_a_figure() {
    BackupResult unknown =
        StoredResults.withReceived(
            result("neondb"),
            java.util.OptionalLong.empty(),
            Optional.of(new MonthlyEgress("", YearMonth.of(2026, 11), 1024, 1, 0)));
    assertEquals("", BackupReport.outputs(unknown).get("received-bytes"));
    String summary = BackupReport.summary(unknown, LIMITS);
    assertFalse(summary.contains("Received from the server"), summary);
    assertTrue(
        summary.contains(
            "| Received this month | 1.0 KiB over 1 backup under the bucket's root; 1 more without a figure (2026-11, UTC) |\n"),
        summary);
    assertFalse(BackupReport.summary(result("neondb"), LIMITS).contains("Received"), "month not read: no row");
  }
}
