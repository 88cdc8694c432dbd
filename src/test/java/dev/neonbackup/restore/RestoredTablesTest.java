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
  void only_pg_restore_s_own_lines_count() {
    assertTrue(RestoredTables.isTableData("pg_restore: processing data for table \"public.t\""));
    assertFalse(RestoredTables.isTableData("processing data for table \"public.t\""));
    assertFalse(RestoredTables.isTableData("pg_restore: creating TABLE \"public.t\""));
    assertFalse(RestoredTables.isTableData("pg_restore: processing item 5 TABLE DATA t"));
  }

  @Test
  void nothing_restored_is_zero() {
    assertEquals(0, new RestoredTables(line -> {}).count());
  }
}
