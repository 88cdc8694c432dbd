package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.catalog.SeriesHistory.Point;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.testing.StoredResults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupTrendTest {
  private static final CheckLimits LIMITS = CheckLimits.of(null, 50);
  private static final Instant RUN = Instant.parse("2026-11-21T03:15:00Z");

  /** A backup of {@code size} bytes after backups of {@code earlier} bytes (newest first), a day apart. */
  private static BackupResult after(long size, long... earlier) {
    BackupResult result = StoredResults.of("neondb", size);
    List<Point> previous = new ArrayList<>();
    for (int i = 0; i < earlier.length; i++) {
      Instant stamp = RUN.minus(Duration.ofDays(i + 1L));
      previous.add(new Point("neon-backups/neondb/neondb-" + i + ".dump", stamp, earlier[i], Duration.ofSeconds(10 + i)));
    }
    return new BackupResult(
        result.manifest(), result.location(), result.manifestLocation(), result.duration(), Optional.empty(), previous, Optional.empty());
  }

  @Test
  void exactly_max_shrink_smaller_passes_and_one_byte_less_warns() {
    assertEquals(Optional.empty(), BackupTrend.shrinkWarning(after(500, 1000), LIMITS));
    String warning = BackupTrend.shrinkWarning(after(499, 1000), LIMITS).orElseThrow();
    assertEquals(
        "the backup of 'neondb' is stored, but it is 50.1% smaller than the one before it,"
            + " neon-backups/neondb/neondb-0.dump (499 B against 1000 B), more than max-shrink 50%:"
            + " did data go missing?",
        warning);
  }

  @Test
  void no_warning_for_a_first_backup_a_growth_or_a_limit_of_100() {
    assertEquals(Optional.empty(), BackupTrend.shrinkWarning(after(1), LIMITS));
    assertEquals(Optional.empty(), BackupTrend.shrinkWarning(after(2000, 1000), LIMITS));
    assertEquals(Optional.empty(), BackupTrend.shrinkWarning(after(0, 1000), CheckLimits.of(null, 100)));
    assertTrue(BackupTrend.shrinkWarning(after(999, 1000), CheckLimits.of(null, 0)).isPresent());
  }

  @Test
  void compares_with_the_newest_earlier_backup_only() {
    assertEquals(Optional.empty(), BackupTrend.shrinkWarning(after(600, 1000, 100_000), LIMITS));
    assertTrue(BackupTrend.shrinkWarning(after(100, 1000, 100), LIMITS).isPresent());
  }

  @Test
  void the_size_row_says_the_change_and_stresses_a_shrink_past_the_limit() {
    assertEquals("; +10.0% against the previous backup", BackupTrend.changeText(after(1100, 1000), LIMITS));
    assertEquals(
        "; **-60.0% against the previous backup, more than max-shrink 50%**",
        BackupTrend.changeText(after(400, 1000), LIMITS));
    assertEquals("; no earlier backup to compare with", BackupTrend.changeText(after(400), LIMITS));
  }

  @Test
  void the_trend_lists_this_backup_first_then_the_earlier_ones_with_their_changes() {
    String markdown = BackupTrend.markdown(after(3 << 20, 2 << 20, 1 << 20));
    List<String> lines = markdown.lines().toList();
    assertEquals("#### Last 3 backups of `neondb`", lines.get(1));
    assertEquals("| 2026-11-21 03:15 (this one) | 3.0 MiB | +50.0% | 2.0 s |", lines.get(5));
    assertEquals("| 2026-11-20 03:15 | 2.0 MiB | +100.0% | 10.0 s |", lines.get(6));
    assertEquals("| 2026-11-19 03:15 | 1.0 MiB |  | 11.0 s |", lines.get(7));
    assertTrue(markdown.contains("Size, oldest to newest: `▁▄█`"), markdown);
    assertTrue(
        markdown.contains(
            "```mermaid\nxychart-beta\n  title \"Archive size (MiB)\"\n  x-axis [\"11-19\", \"11-20\", \"11-21\"]\n"
                + "  y-axis \"MiB\"\n  bar [1.0, 2.0, 3.0]\n```"),
        markdown);
    assertTrue(markdown.contains("  line [11.0, 10.0, 2.0]\n```"), markdown);
  }

  @Test
  void backups_on_the_same_day_are_told_apart_by_their_time_on_the_chart() {
    BackupResult result = StoredResults.of("neondb", 10);
    List<Point> previous = List.of(new Point("k", RUN.minusSeconds(3600), 10, Duration.ZERO));
    String markdown =
        BackupTrend.markdown(
            new BackupResult(result.manifest(), result.location(), result.manifestLocation(),
                result.duration(), Optional.empty(), previous, Optional.empty()));
    assertTrue(markdown.contains("x-axis [\"11-21 02:15\", \"11-21 03:15\"]"), markdown);
    assertTrue(markdown.contains("`██`"), "equal sizes: " + markdown);
  }

  @Test
  void a_first_backup_has_no_trend() {
    assertEquals("", BackupTrend.markdown(after(10)));
  }

  @Test
  void a_hostile_database_name_stays_in_its_code_span_and_never_reaches_a_chart() {
    String hostile = "x`\n```\n## pwned";
    BackupResult plain = after(10, 20);
    BackupResult result =
        new BackupResult(
            StoredResults.of(hostile, 10).manifest(), plain.location(), plain.manifestLocation(),
            plain.duration(), Optional.empty(), plain.previous(), Optional.empty());
    String markdown = BackupTrend.markdown(result);
    assertEquals(0, markdown.lines().filter(l -> l.startsWith("## ")).count(), markdown);
    assertFalse(markdown.substring(markdown.indexOf("```mermaid")).contains("pwned"), markdown);
  }
}
