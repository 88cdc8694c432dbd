package dev.neonbackup.actions;

import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.check.DatabaseFreshness;
import dev.neonbackup.check.FreshnessReport;
import dev.neonbackup.check.FreshnessText;
import dev.neonbackup.report.Units;
import java.util.LinkedHashMap;
import java.util.Map;

/** A finished check, told to the runner: the outputs {@code checked} and {@code problems}, a summary. */
public final class CheckReport {
  private CheckReport() {}

  public static Map<String, String> outputs(FreshnessReport report) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("checked", FreshnessText.json(report));
    outputs.put("problems", String.valueOf(report.problemCount()));
    return outputs;
  }

  /** A Markdown table, a row per database with its problems in the status cell. */
  public static String summary(FreshnessReport report, CheckLimits limits) {
    int count = report.problemCount();
    StringBuilder markdown =
        new StringBuilder("### Neon backup check: ")
            .append(count == 0 ? "all fresh" : count + (count == 1 ? " problem" : " problems"))
            .append("\n\n")
            .append(CheckLimits.MAX_AGE).append(' ').append(CheckLimits.shown(limits.maxAge()))
            .append(", ").append(CheckLimits.MAX_SHRINK).append(' ').append(limits.maxShrinkPercent())
            .append("%\n\n");
    report.overall().forEach(problem -> markdown.append("- **").append(problem).append("**\n"));
    if (!report.databases().isEmpty()) {
      markdown.append("| database | newest backup | age | size | change | status |\n|---|---|---|---|---|---|\n");
      report.databases().forEach(database -> markdown.append(row(database)));
    }
    return markdown.toString();
  }

  private static String row(DatabaseFreshness database) {
    String status =
        database.ok()
            ? "ok"
            : "**" + String.join("; ", database.problems()).replace("|", "\\|") + "**";
    String cells =
        database
            .newest()
            .map(n -> BackupReport.code(n.key()) + " | " + FreshnessText.age(n.ageSeconds()) + " | "
                + Units.bytes(n.sizeBytes()) + " | " + FreshnessText.change(n.changePercent()))
            .orElse("none | - | - | -");
    return "| " + BackupReport.code(database.database()) + " | " + cells + " | " + status + " |\n";
  }

  /** Writes to {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} when the runner set them. */
  public static void publish(FreshnessReport report, CheckLimits limits, Map<String, String> environment) {
    FileCommands.publish(environment, outputs(report), summary(report, limits));
  }
}
