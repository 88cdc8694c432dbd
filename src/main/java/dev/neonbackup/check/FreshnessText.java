package dev.neonbackup.check;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.report.TextTable;
import dev.neonbackup.report.Units;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** The check's findings for people (a table) and for scripts (the {@code checked} JSON). */
public final class FreshnessText {
  private static final String NONE = "-";

  private FreshnessText() {}

  /** One line per database: its newest published backup's age, size and change, and the verdict. */
  public static String table(FreshnessReport report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"DATABASE", "AGE", "SIZE", "CHANGE", "STATUS", "KEY"});
    for (DatabaseFreshness database : report.databases()) {
      String status = database.ok() ? "ok" : "PROBLEM";
      rows.add(
          database
              .newest()
              .map(n -> new String[] {name(database), age(n.ageSeconds()), Units.bytes(n.sizeBytes()),
                  change(n.changePercent()), status, n.key()})
              .orElse(new String[] {name(database), NONE, NONE, NONE, status, NONE}));
    }
    return TextTable.aligned(rows);
  }

  /**
   * One line of JSON: per database its name, the newest published key, its age in seconds, its
   * size in bytes, the change against the one before in percent (null for the first), and the
   * problems; nulls where the database has no published backup.
   */
  public static String json(FreshnessReport report) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (DatabaseFreshness database : report.databases()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("database", database.database());
      fields.put("key", database.newest().map(DatabaseFreshness.Newest::key).orElse(null));
      fields.put("ageSeconds", database.newest().map(DatabaseFreshness.Newest::ageSeconds).orElse(null));
      fields.put("sizeBytes", database.newest().map(DatabaseFreshness.Newest::sizeBytes).orElse(null));
      fields.put(
          "changePercent",
          database.newest().map(n -> n.changePercent()).filter(OptionalDouble::isPresent)
              .map(OptionalDouble::getAsDouble).orElse(null));
      fields.put("problems", database.problems());
      objects.add(fields);
    }
    try {
      return JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES).asString(objects);
    } catch (IOException e) {
      // Only a value jackson-jr cannot write gets here: strings and numbers never do.
      throw new UncheckedIOException(e);
    }
  }

  /** An age in hours, minutes and seconds: 26h 0m 1s. */
  public static String age(long seconds) {
    long positive = Math.max(0, seconds);
    return positive / 3_600 + "h " + positive % 3_600 / 60 + "m " + positive % 60 + "s";
  }

  /** The change against the previous backup: +25.0%, -12.5%, or first. */
  public static String change(OptionalDouble percent) {
    return percent.isPresent() ? String.format(Locale.ROOT, "%+.1f%%", percent.getAsDouble()) : "first";
  }

  private static String name(DatabaseFreshness database) {
    return DatabaseSelection.shown(database.database());
  }
}
