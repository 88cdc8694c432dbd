package dev.neonbackup.cli;

import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.failure.FailureException;

import dev.neonbackup.backup.RunOutcome;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** One failure line for a run in which some databases failed. */
final class RunFailures {
  private RunFailures() {}

  static FailureException summarize(RunOutcome outcome) {
    Map<String, FailureException> failures = outcome.failures();
    if (failures.size() == 1 && outcome.results().isEmpty()) {
      return failures.values().iterator().next();
    }
    FailureException first = failures.values().iterator().next();
    String named =
        failures.entrySet().stream()
            .map(e -> DatabaseSelection.shown(e.getKey()) + " (" + e.getValue().getMessage() + ")")
            .collect(Collectors.joining("; "));
    Set<String> databases = new HashSet<>(failures.keySet());
    databases.remove(RunOutcome.ROLES);
    outcome.results().forEach(result -> databases.add(result.database()));
    int total = databases.size();
    return new FailureException(
        first.kind(),
        "backed up "
            + outcome.results().size()
            + " of "
            + total
            + "; failed: "
            + named,
        first);
  }
}
