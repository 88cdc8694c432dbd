package dev.neonbackup.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.JsonText;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FreshnessTextTest {
  private static final String KEY = SampleReports.KEY;

  private static final FreshnessReport REPORT = SampleReports.appAndAbsent(OptionalDouble.of(-12.5), "ghost");

  @Test
  void the_table_has_a_row_per_database_with_its_age_size_change_and_status() {
    List<String> lines = FreshnessText.table(REPORT).lines().toList();
    assertEquals(3, lines.size(), FreshnessText.table(REPORT));
    assertTrue(lines.get(0).startsWith("DATABASE"), lines.get(0));
    assertTrue(lines.get(1).matches("app +1h 0m 0s +1\\.2 KiB +-12\\.5% +ok +" + KEY), lines.get(1));
    assertTrue(lines.get(2).matches("ghost +- +- +- +PROBLEM +-"), lines.get(2));
  }

  @Test
  void checked_is_one_line_of_json_with_nulls_where_there_is_no_backup() {
    String json = FreshnessText.json(REPORT);
    assertEquals(1, json.lines().count(), json);
    List<Map<String, Object>> objects = JsonText.arrayOfObjects(json);
    assertEquals("app", objects.get(0).get("database"));
    assertEquals(KEY, objects.get(0).get("key"));
    assertEquals(3_600, ((Number) objects.get(0).get("ageSeconds")).intValue());
    assertEquals(1_250, ((Number) objects.get(0).get("sizeBytes")).intValue());
    assertEquals(-12.5, ((Number) objects.get(0).get("changePercent")).doubleValue());
    assertEquals(List.of(), objects.get(0).get("problems"));
    assertEquals(null, objects.get(1).get("key"));
    assertTrue(objects.get(1).containsKey("ageSeconds"), json);
    assertEquals(List.of("no backup at all"), objects.get(1).get("problems"));
  }

  @Test
  void an_empty_prefix_gives_an_empty_array() {
    assertEquals("[]", FreshnessText.json(new FreshnessReport(List.of(), List.of("no backups"))));
  }
}
