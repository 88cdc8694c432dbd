package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.RetentionOutcome;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.catalog.MonthlyEgress;
import dev.neonbackup.catalog.SeriesHistory.Point;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.store.ObjectLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The README shows the summary a backup writes, byte for byte: this renders the same backup (its
 * numbers made up, its layout the program's) and compares, so the example cannot drift.
 */
class ReadmeSummaryExampleTest {
  private static final String START = "<!-- backup-summary-example: start -->";
  private static final String END = "<!-- backup-summary-example: end -->";

  @Test
  void the_readme_shows_the_summary_the_program_writes() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf(START);
    int end = readme.indexOf(END);
    String block = readme.substring(start + START.length(), end).strip();
    String expected = "~~~~markdown\n" + BackupReport.summary(example(), CheckLimits.of(null, null)).strip() + "\n~~~~";
    assertEquals(expected, block);
  }

  /**
   * Tonight's backup of neondb, after five nightly ones; ten backups this month under the prefix
   * before it (another database's too), one from before the figure was recorded.
   */
  static BackupResult example() {
    Instant run = Instant.parse("2026-11-21T03:15:00Z");
    String key = "neon-backups/neondb/neondb-20261121T031500Z.dump";
    Manifest manifest =
        new Manifest(
            Manifest.CURRENT_VERSION, "1.0.0", "neondb", key, "17.5", "17.6", "zstd:1",
            run, run.plusMillis(41_300), 275_835_252L,
            "9f2c4e1b7a0d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a", "full", "passed",
            Optional.empty(), Optional.empty(), java.util.OptionalLong.of(283_312_128L));
    long[] sizes = {268_103_114L, 270_551_902L, 271_992_310L, 273_004_877L, 281_662_015L};
    long[] millis = {40_100, 40_800, 40_300, 41_000, 42_200};
    List<Point> previous = new ArrayList<>();
    for (int night = 0; night < sizes.length; night++) {
      Instant stamp = run.minus(Duration.ofDays(sizes.length - night));
      previous.add(
          new Point("neon-backups/neondb/neondb-" + stamp + ".dump", stamp, sizes[night], Duration.ofMillis(millis[night])));
    }
    Collections.reverse(previous);
    return new BackupResult(
        manifest,
        new ObjectLocation("my-neon-backups", key),
        new ObjectLocation("my-neon-backups", key + ".json"),
        Duration.ofMillis(41_900),
        Optional.of(new RetentionOutcome(List.of(key, "a", "b", "c", "d", "e", "f"), List.of("old"), false)),
        previous,
        Optional.of(new MonthlyEgress("neon-backups/", YearMonth.of(2026, 11), 2_520_000_000L, 9, 1)));
  }
}
