package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.report.Redactor;
import java.util.Map;
import java.util.TreeMap;

/** Exact row counts of every user table of a database, asked with psql over a service file. */
public final class TableCounts {
  /**
   * One query: count(*) of each base table, through query_to_xml so no function is created. The
   * name comes in hex: a table's name may hold a line break, and psql's output is read by lines.
   */
  static final String QUERY =
      "SELECT encode(convert_to(format('%I.%I', table_schema, table_name), 'UTF8'), 'hex')"
          + " || '|' || (xpath('/row/c/text()',"
          + " query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),"
          + " false, true, '')))[1]::text FROM information_schema.tables"
          + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog',"
          + " 'information_schema') ORDER BY 1";

  private TableCounts() {}

  public static Map<String, Long> of(
      PgInstallation client, ConnectionString connection, Redactor redactor) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line :
        Psql.query(client, connection, redactor, QUERY, FailureKind.RESTORE_CHECK)) {
      int bar = line.lastIndexOf('|');
      if (bar > 0) {
        String name =
            new String(
                java.util.HexFormat.of().parseHex(line.substring(0, bar).strip()),
                java.nio.charset.StandardCharsets.UTF_8);
        counts.put(name, Long.parseLong(line.substring(bar + 1).strip()));
      }
    }
    return counts;
  }
}
