package dev.neonbackup.failure;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small checks shared by the settings factories; every message names the input. */
public final class Inputs {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smhd])");

  private Inputs() {}

  public static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  public static String required(String value, String inputName) {
    return optional(value)
        .orElseThrow(
            () ->
                new InputException(
                    inputName
                        + " is required (set it in the action's with: block, or pass --"
                        + inputName
                        + ")"));
  }

  public static boolean bool(String value, String inputName, boolean fallback) {
    Optional<String> given = optional(value);
    if (given.isEmpty()) {
      return fallback;
    }
    switch (given.get().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new InputException(
            inputName + " must be true or false (got '" + given.get() + "')");
    }
  }

  /** A whole number from {@code min} to {@code max} (at most nine digits), named in the message. */
  public static int wholeNumber(String value, String inputName, int min, int max) {
    String text = value.strip();
    if (!text.matches("[0-9]{1,9}")
        || Integer.parseInt(text) < min
        || Integer.parseInt(text) > max) {
      throw new InputException(
          inputName
              + " must be a whole number from "
              + min
              + " to "
              + max
              + " (got '"
              + text
              + "')");
    }
    return Integer.parseInt(text);
  }

  /**
   * {@code <number><s|m|h|d>}: a whole number of at least 1 and one unit; {@code examples} for the
   * message, e.g. "26h or 2d".
   */
  public static Duration duration(String value, String inputName, String examples) {
    String given = value.strip();
    Matcher matcher = DURATION.matcher(given.toLowerCase(Locale.ROOT));
    long amount = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
    if (amount < 1) {
      throw new InputException(
          inputName + " must be a whole number of at least 1 and a unit, s, m, h or d, e.g. "
              + examples + " (got '" + given + "')");
    }
    switch (matcher.group(2)) {
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      default:
        return Duration.ofDays(amount);
    }
  }
}
