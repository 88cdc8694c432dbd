package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code pg-dump-options} input: extra pg_dump arguments, split like a shell, then vetted. */
public final class PgDumpOptions {
  public static final String INPUT = "pg-dump-options";

  private static final Set<String> LONG_FLAGS =
      Set.of(
          "data-only", "blobs", "large-objects", "no-blobs", "no-large-objects", "clean", "create",
          "schema-only", "no-owner", "verbose", "no-password", "password", "no-privileges",
          "no-acl", "version", "help", "attribute-inserts", "column-inserts", "binary-upgrade",
          "disable-dollar-quoting", "disable-triggers", "enable-row-security", "if-exists",
          "inserts", "load-via-partition-root", "no-comments", "no-publications",
          "no-security-labels", "no-subscriptions", "no-sync", "no-synchronized-snapshots",
          "no-tablespaces", "no-toast-compression", "no-unlogged-table-data",
          "on-conflict-do-nothing", "quote-all-identifiers", "serializable-deferrable",
          "use-set-session-authorization", "strict-names", "no-table-access-method",
          "no-policies", "no-data", "no-schema", "no-statistics", "with-data", "with-schema",
          "with-statistics", "statistics-only", "sequence-data");

  private static final Set<String> LONG_WITH_VALUE =
      Set.of(
          "file", "format", "jobs", "compress", "lock-wait-timeout", "encoding", "schema",
          "exclude-schema", "table", "exclude-table", "superuser", "dbname", "host", "port",
          "username", "role", "exclude-table-data", "extra-float-digits", "rows-per-insert",
          "section", "snapshot", "include-foreign-data", "extension", "exclude-extension",
          "filter", "table-and-children", "exclude-table-and-children",
          "exclude-table-data-and-children", "sync-method", "restrict-key");

  private static final Map<String, String> LONG_NAME_OF_SHORT =
      Map.ofEntries(
          Map.entry("a", "data-only"), Map.entry("b", "large-objects"),
          Map.entry("B", "no-large-objects"), Map.entry("c", "clean"), Map.entry("C", "create"),
          Map.entry("d", "dbname"), Map.entry("e", "extension"), Map.entry("E", "encoding"),
          Map.entry("f", "file"), Map.entry("F", "format"), Map.entry("h", "host"),
          Map.entry("j", "jobs"), Map.entry("n", "schema"), Map.entry("N", "exclude-schema"),
          Map.entry("O", "no-owner"), Map.entry("p", "port"), Map.entry("s", "schema-only"),
          Map.entry("S", "superuser"), Map.entry("t", "table"), Map.entry("T", "exclude-table"),
          Map.entry("U", "username"), Map.entry("v", "verbose"), Map.entry("V", "version"),
          Map.entry("w", "no-password"), Map.entry("W", "password"),
          Map.entry("x", "no-privileges"), Map.entry("Z", "compress"), Map.entry("?", "help"));

  private static final String CONNECTION = "the connection comes from database-url only";
  private static final String PARTIAL =
      "its archive lacks the schema, so it does not restore into a fresh database";

  /** Long options newer than pg_dump 14, by the first major that knows them. */
  private static final Map<String, Integer> SINCE =
      Map.ofEntries(
          Map.entry("no-table-access-method", 15), Map.entry("large-objects", 16),
          Map.entry("no-large-objects", 16), Map.entry("table-and-children", 16),
          Map.entry("exclude-table-and-children", 16),
          Map.entry("exclude-table-data-and-children", 16), Map.entry("filter", 17),
          Map.entry("exclude-extension", 17), Map.entry("sync-method", 17),
          Map.entry("no-policies", 18), Map.entry("no-data", 18), Map.entry("no-statistics", 18),
          Map.entry("with-data", 18), Map.entry("with-schema", 18),
          Map.entry("with-statistics", 18), Map.entry("sequence-data", 18));

  private static final Map<String, OptionPolicy.Rule> RULES =
      Map.ofEntries(
          Map.entry("file", OptionPolicy.refuse("the archive is streamed to S3 from stdout")),
          Map.entry("format", PgDumpOptions::customFormatOnly),
          Map.entry("jobs", OptionPolicy.refuse("parallel dumps need the directory format")),
          Map.entry("compress", OptionPolicy.refuse("use the compression input instead")),
          Map.entry("dbname", OptionPolicy.refuse(CONNECTION)),
          Map.entry("host", OptionPolicy.refuse(CONNECTION)),
          Map.entry("port", OptionPolicy.refuse(CONNECTION)),
          Map.entry("username", OptionPolicy.refuse(CONNECTION)),
          Map.entry("password", OptionPolicy.refuse("it would wait for a password prompt")),
          Map.entry("version", OptionPolicy.refuse("it prints a version instead of dumping")),
          Map.entry("help", OptionPolicy.refuse("it prints help instead of dumping")),
          Map.entry(
              "binary-upgrade",
              OptionPolicy.refuse(
                  "it is for pg_upgrade only; its archive does not restore into a fresh database")),
          Map.entry("data-only", OptionPolicy.refuse(PARTIAL)),
          Map.entry("no-schema", OptionPolicy.refuse(PARTIAL)),
          Map.entry("statistics-only", OptionPolicy.refuse(PARTIAL)),
          Map.entry(
              "section",
              OptionPolicy.refuse(
                  "an archive of some sections does not restore into a fresh database; use"
                      + " --schema-only for the schema alone")),
          Map.entry(
              "include-foreign-data",
              OptionPolicy.refuse(
                  "restoring it would write the rows into the foreign server, not the database")),
          Map.entry(
              "restrict-key", OptionPolicy.refuse("it applies to the plain format only")));

  private static final OptionPolicy POLICY =
      new OptionPolicy(
          "pg_dump",
          INPUT,
          LONG_FLAGS,
          LONG_WITH_VALUE,
          "abBcCOsvVwWx?",
          "deEfFhjnNpStTUZ",
          LONG_NAME_OF_SHORT,
          RULES);

  private PgDumpOptions() {}

  /** Splits and vets the input; throws an {@code InputException} naming a refused option. */
  public static List<String> parse(String text) {
    List<String> arguments = ShellWords.split(text, INPUT);
    POLICY.validate(arguments);
    return List.copyOf(arguments);
  }

  /** The long names of the options in {@code arguments} (vetted by {@link #parse}), short ones too. */
  public static List<String> namesIn(List<String> arguments) {
    return POLICY.everyName(arguments);
  }

  /**
   * Refuses an option the chosen pg_dump does not have (such as {@code --filter}, new in 17): bad
   * input, found before the dump rather than as a dump failure.
   */
  public static void checkSupportedBy(List<String> arguments, int pgDumpMajor) {
    for (String name : POLICY.validate(arguments)) {
      int since = SINCE.getOrDefault(name, 0);
      if (pgDumpMajor < since) {
        throw new InputException(
            INPUT + ": --" + name + " needs pg_dump " + since + " or later; the chosen pg_dump is "
                + pgDumpMajor + " (install postgresql-client-" + since + " or set pg-bin-dir)");
      }
    }
  }

  private static String customFormatOnly(String value) {
    return value.equalsIgnoreCase("c") || value.equalsIgnoreCase("custom")
        ? null
        : "only the custom format (-Fc) is stored; pg_restore reads it and it compresses";
  }
}
