package dev.neonbackup.failure;

import java.util.Locale;
import java.util.Optional;

/** Small checks shared by the settings factories; every message names the input. */
public final class Inputs {
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
}
