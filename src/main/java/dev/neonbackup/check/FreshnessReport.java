package dev.neonbackup.check;

import dev.neonbackup.postgres.DatabaseSelection;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code check} found: per database what {@link FreshnessCheck} decided, and the
 * problems of the place as a whole (no backups at all under the prefix).
 */
public record FreshnessReport(List<DatabaseFreshness> databases, List<String> overall) {
  public FreshnessReport {
    databases = List.copyOf(databases);
    overall = List.copyOf(overall);
  }

  /** One line per problem, each naming its database. */
  public List<String> problemLines() {
    List<String> lines = new ArrayList<>(overall);
    for (DatabaseFreshness database : databases) {
      for (String problem : database.problems()) {
        lines.add("database " + DatabaseSelection.shown(database.database()) + ": " + problem);
      }
    }
    return lines;
  }

  public int problemCount() {
    return problemLines().size();
  }

  public boolean ok() {
    return problemLines().isEmpty();
  }
}
