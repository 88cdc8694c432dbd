package dev.neonbackup.actions;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Text from outside (database names, server messages, manifests, a child program's stderr, S3
 * errors) made inert for the runner, which reads every line of stdout and stderr for workflow
 * commands: {@code ::name::} once it has trimmed the line's leading white space, and the legacy
 * {@code ##[name]} anywhere in the line. Every line break (CR, LF, NEL, the Unicode line and
 * paragraph separators) becomes a plain LF; a line that would start, after white space, with
 * {@code ::} gets {@link #MARK} in front; {@code ##[} becomes {@code # #[}. Nothing else changes.
 */
final class InertText {
  /** What a line that would read as a workflow command starts with instead. */
  static final String MARK = "| ";

  private static final Pattern LINE_BREAK = Pattern.compile("\\R");

  private InertText() {}

  /** Every line of {@code text}, inert, joined with LF. */
  static String lines(String text) {
    StringJoiner joined = new StringJoiner("\n");
    for (String line : LINE_BREAK.split(text, -1)) {
      joined.add(line(line));
    }
    return joined.toString();
  }

  private static String line(String line) {
    String safe = line.replace("##[", "# #[");
    return startsCommand(safe) ? MARK + safe : safe;
  }

  private static boolean startsCommand(String line) {
    int at = 0;
    while (at < line.length() && blank(line.charAt(at))) {
      at++;
    }
    return line.startsWith("::", at);
  }

  // The runner trims what .NET calls white space; Java's two tests together cover at least that.
  private static boolean blank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
