package dev.neonbackup.actions;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How GitHub's runner finds workflow commands in a step's output, for tests: it reads stdout and
 * stderr line by line (a line ends at CR, LF or CR LF), takes a line whose text after .NET's
 * TrimStart begins with {@code ::}, and, in the legacy form, one holding {@code ##[} anywhere.
 */
final class RunnerCommands {
  private static final Pattern RUNNER_LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private RunnerCommands() {}

  /** The lines of {@code output} the runner would take for workflow commands. */
  static List<String> in(String output) {
    return RUNNER_LINE_BREAK.splitAsStream(output).filter(RunnerCommands::isCommand).toList();
  }

  static boolean isCommand(String line) {
    return trimStart(line).startsWith("::") || line.contains("##[");
  }

  // .NET's Char.IsWhiteSpace: Unicode separators, TAB to CR, NEL and NBSP.
  private static String trimStart(String line) {
    int at = 0;
    while (at < line.length()) {
      char c = line.charAt(at);
      boolean blank =
          Character.isSpaceChar(c) || (c >= '\t' && c <= '\r') || c == '\u0085' || c == '\u00a0';
      if (!blank) {
        break;
      }
      at++;
    }
    return line.substring(at);
  }
}
