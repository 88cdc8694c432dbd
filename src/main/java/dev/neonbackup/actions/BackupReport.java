package dev.neonbackup.actions;

import dev.neonbackup.postgres.DatabaseSelection;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.catalog.ManifestSource;
import dev.neonbackup.catalog.MonthlyEgress;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.report.Redactor;
import dev.neonbackup.report.Units;
import dev.neonbackup.postgres.TableCounts.Rows;
import dev.neonbackup.restore.RestoreDrill;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A finished backup, told to the runner: step outputs and a summary table. */
public final class BackupReport {
  private BackupReport() {}

  public static Map<String, String> outputs(BackupResult result) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("object-key", result.location().key());
    outputs.put("object-url", result.location().url());
    outputs.put("size-bytes", String.valueOf(result.sizeBytes()));
    outputs.put("sha256", result.sha256());
    outputs.put("encrypted", String.valueOf(result.manifest().encrypted()));
    outputs.put("duration-seconds", String.format(Locale.ROOT, "%.1f", result.durationSeconds()));
    outputs.put("pg-dump-version", result.pgDumpVersion());
    outputs.put("server-version", result.serverVersion());
    outputs.put("manifest-key", result.manifestLocation().key());
    outputs.put("verification", result.verification());
    outputs.put("retention-deleted", String.valueOf(result.retentionDeleted()));
    java.util.OptionalLong received = result.manifest().receivedBytes();
    outputs.put("received-bytes", received.isPresent() ? String.valueOf(received.getAsLong()) : "");
    return outputs;
  }

  public static String summary(BackupResult result, CheckLimits limits) {
    return "### Neon backup: "
        + code(result.database())
        + "\n\n"
        + "| | |\n|---|---|\n"
        + "| Object | `"
        + result.location().url()
        + "` |\n"
        + "| Size | "
        + Units.bytes(result.sizeBytes())
        + String.format(Locale.ROOT, " (%,d bytes)", result.sizeBytes())
        + BackupTrend.changeText(result, limits)
        + " |\n"
        + "| Duration | "
        + Units.seconds(result.durationSeconds())
        + " s at "
        + Units.rate(result.sizeBytes(), result.durationSeconds())
        + " |\n"
        + "| SHA-256 | `"
        + result.sha256()
        + "` |\n"
        + "| pg_dump | "
        + result.pgDumpVersion()
        + " |\n"
        + "| Server | PostgreSQL "
        + result.serverVersion()
        + " |\n"
        + "| Verification | "
        + result.verification()
        + " |\n"
        + result.manifest().source().map(s -> "| Source | " + code(ManifestSource.describe(s)) + " |\n").orElse("")
        + encryptionRow(result)
        + receivedRows(result)
        + "| Manifest | `"
        + result.manifestLocation().url()
        + "` |\n"
        + retentionRow(result)
        + BackupTrend.markdown(result);
  }

  private static String encryptionRow(BackupResult result) {
    return result
        .manifest()
        .encryption()
        .map(
            e ->
                "| Encryption | age, to "
                    + e.recipients().size()
                    + (e.recipients().size() == 1 ? " recipient" : " recipients")
                    + "; archive inside: "
                    + Units.bytes(e.plaintextSizeBytes())
                    + ", SHA-256 `"
                    + e.plaintextSha256()
                    + "` |\n")
        .orElse("");
  }

  /** What the server sent pg_dump, when counted, and the month's total under the prefix. */
  private static String receivedRows(BackupResult result) {
    java.util.OptionalLong received = result.manifest().receivedBytes();
    String row =
        received.isPresent()
            ? "| Received from the server | " + Units.bytes(received.getAsLong())
                + " (what the server sent pg_dump; what Neon counts as egress) |\n"
            : "";
    return row + result.thisMonth().map(BackupReport::monthRow).orElse("");
  }

  private static String monthRow(MonthlyEgress month) {
    return "| Received this month | " + Units.bytes(month.bytes()) + " over " + month.counted()
        + (month.counted() == 1 ? " backup" : " backups") + " under "
        + (month.prefix().isEmpty() ? "the bucket's root" : code(month.prefix()))
        + (month.unknown() == 0 ? "" : "; " + month.unknown() + " more without a figure")
        + " (" + month.month() + ", UTC) |\n";
  }

  private static String retentionRow(BackupResult result) {
    return result
        .retention()
        .map(
            r ->
                "| Retention | "
                    + (r.dryRun() ? "dry run: would delete " : "deleted ")
                    + r.deleted().size()
                    + ", kept "
                    + r.kept().size()
                    + " |\n")
        .orElse("");
  }

  /**
   * The restore drill's comparison, as a table of row counts; the exact drill's also says whether
   * each table's checksum of its rows is equal.
   */
  public static String drillSummary(RestoreDrill.Outcome drill) {
    StringBuilder out =
        new StringBuilder(
            "\n#### Restore drill"
                + (drill.exact() ? " (exact, in the temporary branch)" : "")
                + ": "
                + (drill.passed() ? "passed" : "FAILED")
                + (drill.exact()
                    ? "\n\n| table | snapshot rows | restored rows | checksum | |\n|---|---|---|---|---|\n"
                    : "\n\n| table | source rows | restored rows | |\n|---|---|---|---|\n"));
    java.util.TreeSet<String> tables = new java.util.TreeSet<>(drill.source().keySet());
    tables.addAll(drill.restored().keySet());
    for (String table : tables) {
      Rows source = drill.source().get(table);
      Rows restored = drill.restored().get(table);
      out.append("| ").append(code(table)).append(" | ").append(count(source)).append(" | ")
          .append(count(restored)).append(" | ");
      if (drill.exact()) {
        boolean same = source != null && restored != null && source.checksum().equals(restored.checksum());
        out.append(same ? "equal" : "differs").append(" | ");
      }
      out.append(java.util.Objects.equals(source, restored) ? "ok" : "**differs**").append(" |\n");
    }
    return out.toString();
  }

  private static String count(Rows rows) {
    return rows == null ? "missing" : String.valueOf(rows.count());
  }

  /**
   * A name from outside (a database, a table) as Markdown inline code on one line of the summary:
   * line breaks shown as {@code \n}, {@code |} escaped so a table cell stays one cell, and a fence
   * of backticks longer than any run inside, so the name cannot close it and add Markdown.
   */
  static String code(String name) {
    String text = DatabaseSelection.shown(name).replace("|", "\\|");
    int longest = 0;
    java.util.regex.Matcher runs = java.util.regex.Pattern.compile("`+").matcher(text);
    while (runs.find()) {
      longest = Math.max(longest, runs.group().length());
    }
    String fence = "`".repeat(longest + 1);
    String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return fence + pad + text + pad + fence;
  }

  /** The drill could not even restore: {@code restore-check=failed}. */
  public static void publishDrillFailure(Map<String, String> environment) {
    String outputFile = environment.get("GITHUB_OUTPUT");
    if (outputFile != null && !outputFile.isBlank()) {
      FileCommands.appendOutputs(Path.of(outputFile), Map.of("restore-check", "failed"));
    }
  }

  public static void publishDrill(RestoreDrill.Outcome drill, Map<String, String> environment) {
    String outputFile = environment.get("GITHUB_OUTPUT");
    if (outputFile != null && !outputFile.isBlank()) {
      FileCommands.appendOutputs(
          Path.of(outputFile), Map.of("restore-check", drill.passed() ? "passed" : "failed"));
    }
    String summaryFile = environment.get("GITHUB_STEP_SUMMARY");
    if (summaryFile != null && !summaryFile.isBlank()) {
      FileCommands.appendSummary(Path.of(summaryFile), drillSummary(drill));
    }
  }

  /**
   * The outputs of a whole run: {@code backups}, a JSON array with every archive's outputs; the
   * single-archive outputs too when there is exactly one; {@code roles-key} with the roles.
   */
  public static Map<String, String> outputs(RunOutcome outcome) {
    Map<String, String> outputs = new LinkedHashMap<>();
    if (outcome.results().size() == 1) {
      outputs.putAll(outputs(outcome.results().get(0)));
    }
    outputs.put("backups", backups(outcome.results()));
    outcome.roles().ifPresent(roles -> outputs.put("roles-key", roles.key()));
    return outputs;
  }

  /** One line of JSON: an object per archive, its database first, then its outputs as strings. */
  private static String backups(List<BackupResult> results) {
    List<Map<String, String>> backups = new ArrayList<>();
    for (BackupResult result : results) {
      Map<String, String> one = new LinkedHashMap<>();
      one.put("database", result.database());
      one.putAll(outputs(result));
      backups.add(one);
    }
    try {
      return JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES).asString(backups);
    } catch (IOException e) {
      // Only a value jackson-jr cannot write gets here: strings never do.
      throw new UncheckedIOException(e);
    }
  }

  /** Writes to {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} when the runner set them. */
  public static void publish(
      RunOutcome outcome, CheckLimits limits, Map<String, String> environment, Redactor redactor) {
    String outputFile = environment.get("GITHUB_OUTPUT");
    if (outputFile != null && !outputFile.isBlank()) {
      FileCommands.appendOutputs(Path.of(outputFile), outputs(outcome));
    }
    String summaryFile = environment.get("GITHUB_STEP_SUMMARY");
    if (summaryFile != null && !summaryFile.isBlank()) {
      StringBuilder markdown = new StringBuilder();
      outcome.results().forEach(result -> markdown.append(summary(result, limits)).append('\n'));
      outcome.failures()
          .forEach((database, failure) -> markdown.append("### Failed: ").append(code(database))
              .append("\n\n").append(redactor.redact(failure.getMessage())).append("\n\n"));
      outcome.roles().ifPresent(roles -> markdown.append("Roles stored at `").append(roles.url()).append("`\n"));
      FileCommands.appendSummary(Path.of(summaryFile), markdown.toString());
    }
  }
}
