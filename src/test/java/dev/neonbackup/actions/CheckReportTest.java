package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.check.FreshnessReport;
import dev.neonbackup.check.SampleReports;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CheckReportTest {
  private static final String KEY = SampleReports.KEY;

  private static final FreshnessReport REPORT = SampleReports.appAndAbsent(OptionalDouble.empty(), "a|b");

  @Test
  void outputs_are_checked_and_the_problem_count() {
    var outputs = CheckReport.outputs(REPORT);
    assertEquals(List.of("checked", "problems"), List.copyOf(outputs.keySet()));
    assertEquals("1", outputs.get("problems"));
    assertTrue(outputs.get("checked").startsWith("[{\"database\":\"app\""), outputs.get("checked"));
  }

  @Test
  void the_summary_is_a_markdown_table_with_the_problems_in_their_row() {
    String markdown = CheckReport.summary(REPORT, CheckLimits.of(null, null));
    assertTrue(markdown.startsWith("### Neon backup check: 1 problem\n"), markdown);
    assertTrue(markdown.contains("max-age 26h, max-shrink 50%"), markdown);
    assertTrue(markdown.contains("| database | newest backup | age | size | change | status |\n|---|"), markdown);
    assertTrue(markdown.contains("| `app` | `" + KEY + "` | 1h 0m 0s | 1.2 KiB | first | ok |"), markdown);
    assertTrue(markdown.contains("| `a\\|b` | none | - | - | - | **no backup at all** |"), markdown);
  }

  @Test
  void the_summary_of_an_empty_prefix_names_the_problem() {
    String markdown =
        CheckReport.summary(
            new FreshnessReport(List.of(), List.of("no backups at all under s3://b/p/")),
            CheckLimits.of(null, null));
    assertTrue(markdown.contains("- **no backups at all under s3://b/p/**"), markdown);
  }
}
