package dev.neonbackup.actions;

import java.util.Map;

/** A run that failed, told to the step summary: which command, and the one error line. */
public final class FailureReport {
  private FailureReport() {}

  /** {@code errorLine} must be redacted already; it is shown as a code block, one line. */
  public static String summary(String command, String errorLine) {
    String line = errorLine.replace("\r", " ").replace("\n", " ");
    String fence = "```";
    while (line.contains(fence)) {
      fence += "`";
    }
    return "### Neon " + command + " failed\n\n" + fence + "text\n" + line + "\n" + fence + "\n";
  }

  public static void publish(String command, String errorLine, Map<String, String> environment) {
    FileCommands.publish(environment, Map.of(), summary(command, errorLine));
  }
}
