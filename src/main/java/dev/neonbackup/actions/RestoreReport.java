package dev.neonbackup.actions;

import dev.neonbackup.restore.BranchTarget;
import dev.neonbackup.restore.RestoreService;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A finished restore, told to the runner: step outputs and a summary table. */
public final class RestoreReport {
  private RestoreReport() {}

  public static Map<String, String> outputs(RestoreService.Restored restored) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("object-key", restored.location().key());
    outputs.put("target-url", restored.target());
    outputs.put("duration-seconds", seconds(restored));
    outputs.put("pg-restore-version", restored.pgRestore());
    outputs.put("tables-restored", String.valueOf(restored.tablesRestored()));
    return outputs;
  }

  public static String summary(RestoreService.Restored restored) {
    return "### Neon restore: " + BackupReport.code(restored.location().key()) + "\n\n"
        + "| | |\n|---|---|\n"
        + "| Object | " + BackupReport.code(restored.location().url()) + " |\n"
        + "| Into | " + BackupReport.code(restored.target()) + " |\n"
        + "| Size | " + restored.sizeBytes() + " bytes |\n"
        + "| Duration | " + seconds(restored) + " s |\n"
        + "| pg_restore | " + restored.pgRestore() + " |\n"
        + "| Tables restored | " + restored.tablesRestored() + " |\n";
  }

  /** A restore into a new Neon branch: the outputs above, and the branch's name and id. */
  public static Map<String, String> outputs(BranchTarget.Result result) {
    Map<String, String> outputs = outputs(result.restored());
    outputs.put("target-branch", result.branch().name());
    outputs.put("target-branch-id", result.branch().id());
    return outputs;
  }

  /** The summary above, with the branch: its name and id, its parent, expiry and console page. */
  public static String summary(BranchTarget.Result result) {
    BranchTarget.Made branch = result.branch();
    return summary(result.restored())
        + "| Branch | " + BackupReport.code(branch.name()) + " (" + BackupReport.code(branch.id())
        + "), made from " + BackupReport.code(branch.parentName()) + " |\n"
        + "| Expires | " + branch.expiresAt().map(Object::toString).orElse("never (delete it when done)")
        + " |\n"
        + "| Console | " + branch.consoleUrl() + " |\n";
  }

  public static void publish(BranchTarget.Result result, Map<String, String> environment) {
    FileCommands.publish(environment, outputs(result), summary(result));
  }

  private static String seconds(RestoreService.Restored restored) {
    return String.format(Locale.ROOT, "%.1f", restored.durationSeconds());
  }

  /** Writes to {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} when the runner set them. */
  public static void publish(RestoreService.Restored restored, Map<String, String> environment) {
    FileCommands.publish(environment, outputs(restored), summary(restored));
  }
}
