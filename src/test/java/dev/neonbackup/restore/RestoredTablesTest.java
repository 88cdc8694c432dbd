package dev.neonbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoredTablesTest {
  @Test
  void counts_each_table_data_line_and_passes_every_line_on() {
    List<String> seen = new ArrayList<>();
    RestoredTables tables = new RestoredTables(seen::add);
    List<String> lines =
        List.of(
            "pg_restore: connecting to database for restore",
            "pg_restore: creating TABLE \"public.customers\"",
            "pg_restore: processing data for table \"public.customers\"",
            "pg_restore: processing data for table \"sales.invoices\"",
            "pg_restore: creating INDEX \"public.customers_pkey\"",
            "pg_restore: processing data for table \"\"Ünïcode Schema\".\"Grüße\"\"");
    lines.forEach(tables);
    assertEquals(3, tables.count());
    assertEquals(lines, seen);
  }

  @Test
  void only_pg_restore_s_own_info_lines_count() {
    assertTrue(RestoredTables.isTableData("pg_restore: processing data for table \"public.t\""));
    assertFalse(RestoredTables.isTableData("pg_restore: error: processing data for table \"t\""));
    assertFalse(RestoredTables.isTableData("DETAIL: processing data for table \"public.t\""));
    assertFalse(RestoredTables.isTableData("pg_restore: creating TABLE \"public.t\""));
    assertFalse(RestoredTables.isTableData("pg_restore: processing item 5 TABLE DATA t"));
  }

  /**
   * pg_restore writes "pg_restore:", " " and the message in three writes; with --jobs its workers
   * share the pipe, so two workers' prefixes can land on one line (seen with pg_restore 15 and 17).
   */
  @Test
  void parallel_workers_interleaved_prefixes_still_count_once_each() {
    RestoredTables tables = new RestoredTables(line -> {});
    List.of(
            "pg_restore:pg_restore: processing data for table \"public.t19\"",
            "  processing data for table \"public.t20\"",
            "pg_restore:pg_restore:  processing data for table \"public.t21\"",
            "processing data for table \"public.t22\"",
            "pg_restore: pg_restore:finished item 7 TABLE DATA t1")
        .forEach(tables);
    assertEquals(4, tables.count());
  }

  @Test
  void nothing_restored_is_zero() {
    assertEquals(0, new RestoredTables(line -> {}).count());
  }
}
