package dev.neonbackup.actions;

import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.report.Units;
import java.util.Map;

/** A finished list, told to the runner: the output {@code backups} and a summary table. */
public final class ListReport {
  private ListReport() {}

  /** {@code backups}: the array {@code list --json} prints, on one line. */
  public static Map<String, String> outputs(BackupCatalog catalog) {
    return Map.of("backups", catalog.jsonOnOneLine());
  }

  /** A Markdown table, a row per backup, newest first per database; {@code where} is the prefix's URL. */
  public static String summary(BackupCatalog catalog, String where) {
    int count = catalog.entries().size();
    StringBuilder markdown =
        new StringBuilder("### Neon backups: ")
            .append(count).append(count == 1 ? " archive" : " archives")
            .append(" in ").append(BackupReport.code(where)).append("\n\n");
    if (count > 0) {
      markdown.append("| database | time (UTC) | size | verification | key |\n|---|---|---|---|---|\n");
      catalog.entries().forEach(entry -> markdown.append(row(entry)));
    }
    return markdown.toString();
  }

  static String row(BackupCatalog.Entry entry) {
    String notes = BackupCatalog.notes(entry);
    return "| " + BackupReport.code(entry.database())
        + " | " + BackupCatalog.shownTime(entry)
        + " | " + Units.bytes(entry.sizeBytes())
        + " | " + BackupCatalog.verified(entry).replace("|", "\\|")
        + " | " + BackupReport.code(entry.key().key())
        + (notes.isEmpty() ? "" : " " + BackupReport.code(notes))
        + " |\n";
  }

  /** Writes to {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} when the runner set them. */
  public static void publish(BackupCatalog catalog, String where, Map<String, String> environment) {
    FileCommands.publish(environment, outputs(catalog), summary(catalog, where));
  }
}
