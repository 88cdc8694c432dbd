package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code databases} and {@code exclude-databases} inputs: which databases one run backs up.
 * Empty means the one in database-url; {@code all} every database that allows connections, minus
 * templates; otherwise a comma-separated list.
 */
public record DatabaseSelection(boolean all, List<String> named, Set<String> excluded) {
  public static final String INPUT = "databases";
  public static final String EXCLUDE_INPUT = "exclude-databases";
  /**
   * Every database that allows connections, minus templates; each name in hex, one a line, since a
   * name may hold a line break (see {@link #namesFromHex}).
   */
  public static final String ALL_QUERY =
      "SELECT encode(convert_to(datname::text, 'UTF8'), 'hex') FROM pg_database"
          + " WHERE datallowconn AND NOT datistemplate ORDER BY datname";

  public static DatabaseSelection parse(String databases, String exclude) {
    String given = databases == null ? "" : databases.strip();
    boolean all = given.toLowerCase(Locale.ROOT).equals("all");
    List<String> named = all ? List.of() : names(given, INPUT);
    return new DatabaseSelection(all, named, new LinkedHashSet<>(names(exclude, EXCLUDE_INPUT)));
  }

  private static List<String> names(String text, String inputName) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : Arrays.asList(text.split(","))) {
      String trimmed = name.strip();
      if (trimmed.isEmpty()) {
        throw new InputException(inputName + " has an empty name in its comma-separated list");
      }
      if (!names.contains(trimmed)) {
        names.add(trimmed);
      }
    }
    return names;
  }

  /** The names {@link #ALL_QUERY} lists: names are identifiers, not lines. */
  public static List<String> namesFromHex(List<String> rows) {
    return rows.stream()
        .map(row -> new String(HexFormat.of().parseHex(row.strip()), StandardCharsets.UTF_8))
        .toList();
  }

  /**
   * Refuses a database whose name holds a line break: libpq's service file, which keeps the
   * password off every command line, holds one parameter a line and cannot carry it.
   */
  public static void requireBackupable(String database) {
    if (database.indexOf('\n') >= 0 || database.indexOf('\r') >= 0) {
      throw new FailureException(
          FailureKind.DATABASE,
          "database \""
              + shown(database)
              + "\" cannot be backed up: its name holds a line break, which libpq's connection"
              + " service file cannot carry; rename it (ALTER DATABASE ... RENAME TO) or name it in "
              + EXCLUDE_INPUT);
    }
  }

  /** A database name on one line: CR and LF as {@code \r} and {@code \n}. */
  public static String shown(String database) {
    return database.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
  }

  /** Whether this selection is just the database of the connection string. */
  public boolean isDefault() {
    return !all && named.isEmpty();
  }

  /**
   * The databases to back up, in order: {@code fromUrl} for the default selection, the server's
   * list for {@code all}, the named ones otherwise; minus the excluded ones.
   */
  public List<String> resolve(String fromUrl, List<String> onServer) {
    List<String> chosen = all ? onServer : named.isEmpty() ? List.of(fromUrl) : named;
    List<String> result = chosen.stream().filter(name -> !excluded.contains(name)).toList();
    if (result.isEmpty()) {
      throw new InputException(
          EXCLUDE_INPUT + " leaves no database to back up (chosen: " + String.join(", ", chosen) + ")");
    }
    return result;
  }
}
