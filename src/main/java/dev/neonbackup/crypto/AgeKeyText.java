package dev.neonbackup.crypto;

import dev.neonbackup.failure.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text of an age key input: the keys themselves, or the path of a file that holds them, one or
 * more per line, with {@code #} comments and blank lines as {@code age-keygen} writes them.
 */
final class AgeKeyText {
  private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

  private AgeKeyText() {}

  /**
   * The keys in {@code text}; when it holds no word that starts with {@code marker}, it is read as
   * the path of a file that does. Never puts a key into a message, nor, when {@code secret}, the
   * text itself (a mistyped private key is still a secret).
   */
  static List<String> keys(String text, String marker, String inputName, boolean secret) {
    List<String> inline = words(text);
    if (inline.stream().anyMatch(word -> startsWithIgnoringCase(word, marker))) {
      return inline;
    }
    String trimmed = text.strip();
    if (inline.size() != 1) {
      throw new InputException(
          inputName + " holds no " + marker + "... key and is not the path of a file");
    }
    String shown = secret ? "the path it gives" : trimmed;
    Path file;
    try {
      file = Path.of(trimmed);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InputException(inputName + " holds no " + marker + "... key and is not a path");
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException(
          inputName + " holds no " + marker + "... key, and no file is at " + shown);
    }
    try {
      List<String> inFile = words(Files.readString(file, StandardCharsets.UTF_8));
      if (inFile.isEmpty()) {
        throw new InputException(inputName + ": the file " + shown + " holds no key");
      }
      return inFile;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new InputException(inputName + ": cannot read the file " + shown);
    }
  }

  /** The words of the text outside {@code #} comments. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String line : text.split("\\R")) {
      int comment = line.indexOf('#');
      String kept = comment >= 0 ? line.substring(0, comment) : line;
      for (String word : SEPARATORS.split(kept.strip())) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
    }
    return words;
  }

  static boolean startsWithIgnoringCase(String word, String prefix) {
    return word.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** "the 2nd key", without the key, which may be a secret. */
  static String ordinal(int index) {
    int n = index + 1;
    String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return "the " + n + suffix + " key";
  }
}
