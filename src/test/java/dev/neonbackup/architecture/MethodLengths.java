package dev.neonbackup.architecture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds methods and constructors longer than a limit, by their braces: a line that declares one
 * (modifiers or a return type, a name, a parameter list, and its opening brace) starts a body, and
 * the body ends where its brace closes. Comments, strings and character literals are blanked first
 * so their braces do not count. Good enough for code written in this project's style.
 */
final class MethodLengths {
  private static final Pattern DECLARATION =
      Pattern.compile(
          "^\\s*(?:(?:public|protected|private|static|final|synchronized|abstract|default)\\s+)*"
              + "(?:<[^>]+>\\s+)?(?:[\\w.<>\\[\\],? ]+\\s+)?(\\w+)\\s*\\([^;]*$");
  private static final Pattern TYPE = Pattern.compile("\\b(record|class|interface|enum)\\s+\\w+");
  private static final List<String> NOT_METHODS =
      List.of("if", "for", "while", "switch", "catch", "try", "synchronized", "return", "new", "else");

  private MethodLengths() {}

  static List<String> over(Path file, String text, int limit) {
    String[] lines = blank(text).split("\n", -1);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      var matcher = DECLARATION.matcher(lines[i]);
      if (!matcher.find()
          || NOT_METHODS.contains(matcher.group(1))
          || TYPE.matcher(lines[i]).find()) {
        continue;
      }
      int open = findOpeningLine(lines, i);
      if (open < 0) {
        continue;
      }
      int close = findClosingLine(lines, open);
      int length = close - i + 1;
      if (length > limit) {
        found.add(file + ":" + (i + 1) + " " + matcher.group(1) + "(): " + length + " lines");
      }
      i = close;
    }
    return found;
  }

  /** The line of the body's opening brace, if the declaration continues to one before a ';'. */
  private static int findOpeningLine(String[] lines, int from) {
    int depth = 0;
    for (int i = from; i < lines.length && i < from + 15; i++) {
      for (char c : lines[i].toCharArray()) {
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        } else if (c == '{' && depth == 0) {
          return i;
        } else if (c == ';' && depth == 0) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static int findClosingLine(String[] lines, int open) {
    int depth = 0;
    boolean started = false;
    for (int i = open; i < lines.length; i++) {
      for (char c : lines[i].toCharArray()) {
        if (c == '{') {
          depth++;
          started = true;
        } else if (c == '}') {
          depth--;
          if (started && depth == 0) {
            return i;
          }
        }
      }
    }
    return lines.length - 1;
  }

  /** The text with comments, strings and char literals replaced by spaces, lines kept. */
  static String blank(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (text.startsWith("//", i)) {
        while (i < text.length() && text.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? text.length() : end + 2;
        for (; i < end; i++) {
          out.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else if (text.startsWith("\"\"\"", i)) {
        int end = text.indexOf("\"\"\"", i + 3);
        end = end < 0 ? text.length() : end + 3;
        for (; i < end; i++) {
          out.append(text.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else if (c == '"' || c == '\'') {
        out.append(' ');
        i++;
        while (i < text.length() && text.charAt(i) != c && text.charAt(i) != '\n') {
          if (text.charAt(i) == '\\') {
            out.append(' ');
            i++;
          }
          out.append(' ');
          i++;
        }
        out.append(' ');
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
