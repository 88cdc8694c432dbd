package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.util.ArrayList;
import java.util.Arrays;
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
  /** Every database that allows connections, minus templates. */
  public static final String ALL_QUERY =
      "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1";

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
