package dev.neonbackup.postgres;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code restore-options} input: extra pg_restore arguments, split like a shell, vetted. */
public final class PgRestoreOptions {
  public static final String INPUT = "restore-options";

  private static final Set<String> LONG_FLAGS =
      Set.of(
          "data-only", "clean", "create", "exit-on-error", "list", "no-owner", "schema-only",
          "verbose", "version", "no-password", "password", "no-privileges", "no-acl",
          "single-transaction", "help", "disable-triggers", "enable-row-security", "if-exists",
          "no-comments", "no-data-for-failed-tables", "no-publications", "no-security-labels",
          "no-subscriptions", "no-table-access-method", "no-tablespaces", "strict-names",
          "use-set-session-authorization", "no-policies", "no-data", "no-schema",
          "no-statistics", "statistics-only", "with-data", "with-schema", "with-statistics");

  private static final Set<String> LONG_WITH_VALUE =
      Set.of(
          "dbname", "file", "format", "index", "jobs", "use-list", "schema", "exclude-schema",
          "function", "superuser", "table", "trigger", "username", "host", "port", "role",
          "section", "filter", "exclude-database", "transaction-size", "restrict-key");

  private static final Map<String, String> LONG_NAME_OF_SHORT =
      Map.ofEntries(
          Map.entry("a", "data-only"), Map.entry("c", "clean"), Map.entry("C", "create"),
          Map.entry("d", "dbname"), Map.entry("e", "exit-on-error"), Map.entry("f", "file"),
          Map.entry("F", "format"), Map.entry("h", "host"), Map.entry("I", "index"),
          Map.entry("j", "jobs"), Map.entry("l", "list"), Map.entry("L", "use-list"),
          Map.entry("n", "schema"), Map.entry("N", "exclude-schema"), Map.entry("O", "no-owner"),
          Map.entry("p", "port"), Map.entry("P", "function"), Map.entry("s", "schema-only"),
          Map.entry("S", "superuser"), Map.entry("t", "table"), Map.entry("T", "trigger"),
          Map.entry("U", "username"), Map.entry("v", "verbose"), Map.entry("V", "version"),
          Map.entry("w", "no-password"), Map.entry("W", "password"),
          Map.entry("x", "no-privileges"), Map.entry("1", "single-transaction"),
          Map.entry("?", "help"));

  private static final String CONNECTION = "the connection comes from target-url only";

  private static final Map<String, OptionPolicy.Rule> RULES =
      Map.ofEntries(
          Map.entry("file", OptionPolicy.refuse("it writes a script instead of restoring")),
          Map.entry("list", OptionPolicy.refuse("it lists instead of restoring")),
          Map.entry(
              "format",
              value ->
                  value.equalsIgnoreCase("c") || value.equalsIgnoreCase("custom")
                      ? null
                      : "backups are in the custom format"),
          Map.entry("jobs", OptionPolicy.refuse("use the jobs input instead")),
          Map.entry(
              "create",
              OptionPolicy.refuse(
                  "it would restore into the archive's own database instead of target-url's,"
                      + " and with clean drop it first")),
          Map.entry("dbname", OptionPolicy.refuse(CONNECTION)),
          Map.entry("host", OptionPolicy.refuse(CONNECTION)),
          Map.entry("port", OptionPolicy.refuse(CONNECTION)),
          Map.entry("username", OptionPolicy.refuse(CONNECTION)),
          Map.entry("password", OptionPolicy.refuse("it would wait for a password prompt")),
          Map.entry("version", OptionPolicy.refuse("it prints a version instead of restoring")),
          Map.entry("help", OptionPolicy.refuse("it prints help instead of restoring")));

  private static final OptionPolicy POLICY =
      new OptionPolicy(
          "pg_restore",
          INPUT,
          LONG_FLAGS,
          LONG_WITH_VALUE,
          "acCeOlsvVwWx1?",
          "dfFhIjLnNpPStTU",
          LONG_NAME_OF_SHORT,
          RULES);

  private PgRestoreOptions() {}

  public static List<String> parse(String text) {
    List<String> arguments = ShellWords.split(text, INPUT);
    POLICY.validate(arguments);
    return List.copyOf(arguments);
  }
}
