package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.report.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Exact row counts, and checksums of all rows, of every user table of a database, through psql. */
public final class TableCounts {
  /**
   * Settings a role or database may set that would stop the comparison or skew it, reset for the
   * session: one statement reads a whole table, so no statement or transaction time limit (the
   * latter exists from PostgreSQL 17); and row security off, so a table whose policies hide rows
   * from this role is an error, never a smaller count that a restored copy without them matches.
   */
  static final String NO_LIMITS =
      "SET statement_timeout = 0; SET row_security = off; DO $limits$ BEGIN"
          + " IF current_setting('transaction_timeout', true) IS NOT NULL THEN"
          + " PERFORM set_config('transaction_timeout', '0', true); END IF; END $limits$; ";

  /**
   * One query: count(*) of each base table, through query_to_xml so no function is created. The
   * name comes in hex: a table's name may hold a line break, and psql's output is read by lines.
   */
  static final String QUERY =
      NO_LIMITS
          + "SELECT encode(convert_to(format('%I.%I', table_schema, table_name), 'UTF8'), 'hex')"
          + " || '|' || (xpath('/row/c/text()',"
          + " query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),"
          + " false, true, '')))[1]::text FROM information_schema.tables"
          + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog',"
          + " 'information_schema') ORDER BY 1";

  /**
   * The output settings every value's text depends on, fixed for the session: two databases of one
   * instant give equal checksums even when one of them sets its own time zone or date style.
   */
  static final String FIXED_TEXT =
      "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
          + " SET extra_float_digits = 3; SET bytea_output = 'hex'; SET lc_monetary = 'C'; ";

  /**
   * Each sequence's state as one row named {@code sequence <schema>.<name>}: its last value and
   * whether it was called, as pg_dump's setval restores them. Sequences of extensions are left out:
   * CREATE EXTENSION makes them anew.
   */
  static final String SEQUENCES =
      " UNION ALL SELECT encode(convert_to('sequence ' || format('%I.%I', n.nspname, c.relname),"
          + " 'UTF8'), 'hex') || '|1|' || (xpath('/row/s/text()', query_to_xml(format('SELECT (''x'' ||"
          + " left(md5(to_jsonb(q.*)::text), 16))::bit(64)::bigint::numeric AS s FROM (SELECT"
          + " last_value, is_called FROM %I.%I) q', n.nspname, c.relname), false, true, '')))[1]::text"
          + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S'"
          + " AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' AND NOT EXISTS (SELECT"
          + " FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
          + " AND d.deptype = 'e')";

  /** The large objects, when there are any, as one row: how many, and a checksum of ids and data. */
  static final String LARGE_OBJECTS =
      " UNION ALL SELECT encode(convert_to('large objects', 'UTF8'), 'hex') || '|' || count(*)"
          + " || '|' || coalesce(sum(('x' || left(md5(oid::text || md5(lo_get(oid))), 16))"
          + "::bit(64)::bigint::numeric), 0) FROM pg_largeobject_metadata HAVING count(*) > 0";

  /**
   * Like {@link #QUERY}, with a checksum of each table's own rows ({@code ONLY}: an inheritance
   * parent's or a partitioned table's are its children's, read once, as the children) that depends
   * neither on their order nor on the order of the columns (a child that inherits a column added
   * later restores with it elsewhere): the sum of the first 64 bits of the MD5 of each row as
   * {@code jsonb}, whose keys are sorted. A sum, not an XOR, so two equal rows do not cancel.
   */
  static final String CHECKSUM_QUERY =
      NO_LIMITS
          + FIXED_TEXT
          + "SELECT encode(convert_to(format('%I.%I', table_schema, table_name), 'UTF8'), 'hex')"
          + " || '|' || (xpath('/row/c/text()', x))[1]::text"
          + " || '|' || (xpath('/row/s/text()', x))[1]::text FROM (SELECT table_schema, table_name,"
          + " query_to_xml(format('SELECT count(*) AS c, coalesce(sum((''x'' ||"
          + " left(md5(to_jsonb(t.*)::text), 16))::bit(64)::bigint::numeric), 0) AS s"
          + " FROM ONLY %I.%I t', table_schema, table_name), false, true, '') AS x"
          + " FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema"
          + " NOT IN ('pg_catalog', 'information_schema')) AS tables"
          + SEQUENCES
          + LARGE_OBJECTS
          + " ORDER BY 1";

  /** One table's rows: how many, and the checksum of their text, when it was asked for. */
  public record Rows(long count, String checksum) {}

  private TableCounts() {}

  public static Map<String, Long> of(
      PgInstallation client, ConnectionString connection, Redactor redactor) {
    Map<String, Long> counts = new TreeMap<>();
    for (String[] fields : lines(client, connection, redactor, QUERY, 2)) {
      counts.put(fields[0], Long.parseLong(fields[1]));
    }
    return counts;
  }

  /** Each table's row count and checksum, for two databases of one instant to compare exactly. */
  public static Map<String, Rows> withChecksums(
      PgInstallation client, ConnectionString connection, Redactor redactor) {
    Map<String, Rows> rows = new TreeMap<>();
    for (String[] fields : lines(client, connection, redactor, CHECKSUM_QUERY, 3)) {
      rows.put(fields[0], new Rows(Long.parseLong(fields[1]), fields[2]));
    }
    return rows;
  }

  /** The answer's lines as fields: the table's name decoded from hex, then the figures. */
  private static java.util.List<String[]> lines(
      PgInstallation client, ConnectionString connection, Redactor redactor, String sql, int fields) {
    java.util.List<String[]> parsed = new java.util.ArrayList<>();
    for (String line : Psql.query(client, connection, redactor, sql, FailureKind.RESTORE_CHECK)) {
      String[] parts = line.strip().split("\\|");
      if (parts.length == fields) {
        parts[0] = new String(HexFormat.of().parseHex(parts[0]), StandardCharsets.UTF_8);
        parsed.add(parts);
      }
    }
    return parsed;
  }
}
