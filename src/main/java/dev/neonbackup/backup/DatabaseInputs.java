package dev.neonbackup.backup;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;

import dev.neonbackup.postgres.ConnectRetry;
import dev.neonbackup.postgres.DatabaseSelection;

/** The raw inputs about which databases to reach and how: as given, validated by {@link #parse}. */
public record DatabaseInputs(
    String allowPooled,
    String connectRetries,
    String databases,
    String excludeDatabases,
    String parallelDatabases,
    String includeRoles) {

  public static DatabaseInputs none() {
    return new DatabaseInputs(null, null, null, null, null, null);
  }

  /** Validated. */
  public record Parsed(
      boolean allowPooled,
      int connectRetries,
      DatabaseSelection selection,
      int parallelDatabases,
      boolean includeRoles) {}

  public Parsed parse() {
    return new Parsed(
        Inputs.bool(allowPooled, "allow-pooled", false),
        count(connectRetries, ConnectRetry.INPUT, 0, 20, ConnectRetry.DEFAULT_RETRIES),
        DatabaseSelection.parse(databases, excludeDatabases),
        count(parallelDatabases, "parallel-databases", 1, 4, 1),
        Inputs.bool(includeRoles, "include-roles", false));
  }

  private static int count(String text, String inputName, int min, int max, int fallback) {
    return Inputs.optional(text)
        .map(
            value -> {
              if (!value.matches("[0-9]{1,3}")
                  || Integer.parseInt(value) < min
                  || Integer.parseInt(value) > max) {
                throw new InputException(
                    inputName
                        + " must be a whole number from "
                        + min
                        + " to "
                        + max
                        + " (got '"
                        + value
                        + "')");
              }
              return Integer.parseInt(value);
            })
        .orElse(fallback);
  }
}
