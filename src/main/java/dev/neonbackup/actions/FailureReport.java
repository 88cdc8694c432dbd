package dev.neonbackup.actions;

import java.util.Map;

/** A run that failed, told to the step summary: which command, and the one error line. */
public final class FailureReport {
  private FailureReport() {}

  /** {@code errorLine} must be redacted already; it is shown as a code block, one line. */
  public static String summary(String command, String errorLine) {
    return section("### Neon " + command + " failed", errorLine);
  }

  /** A run a signal cancelled: the cancel line says what was cleaned up. */
  public static void publishCancelled(String cancelLine, Map<String, String> environment) {
    FileCommands.publish(environment, Map.of(), section("### Neon backup action cancelled", cancelLine));
  }

  private static String section(String heading, String errorLine) {
    String line = errorLine.replace("\r", " ").replace("\n", " ");
    String fence = "```";
    while (line.contains(fence)) {
      fence += "`";
    }
    return heading + "\n\n" + fence + "text\n" + line + "\n" + fence + "\n";
  }

  public static void publish(String command, String errorLine, Map<String, String> environment) {
    FileCommands.publish(environment, Map.of(), summary(command, errorLine));
  }
}
