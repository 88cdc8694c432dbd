package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into words the way a POSIX shell would for a simple command, without running a
 * shell: whitespace separates words, single quotes keep everything literal, double quotes keep
 * whitespace and honour backslash before {@code " \ $ `}, and a backslash outside quotes escapes
 * the next character. No expansion of any kind happens.
 */
public final class ShellWords {
  private ShellWords() {}

  public static List<String> split(String text, String inputName) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        int close = text.indexOf('\'', i + 1);
        if (close < 0) {
          throw new InputException(inputName + " has an unclosed single quote");
        }
        word.append(text, i + 1, close);
        i = close;
        inWord = true;
      } else if (c == '"') {
        i = doubleQuoted(text, i + 1, word, inputName);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 < text.length()) {
          char next = text.charAt(++i);
          if (next != '\n') {
            word.append(next);
          }
        }
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static int doubleQuoted(String text, int start, StringBuilder word, String inputName) {
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i + 1 < text.length() && "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0) {
        char next = text.charAt(++i);
        if (next != '\n') {
          word.append(next);
        }
      } else {
        word.append(c);
      }
    }
    throw new InputException(inputName + " has an unclosed double quote");
  }
}
