package dev.neonbackup.check;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code check} holds a database's newest backup to: at most {@code max-age} old (by the stamp
 * in its key), and at most {@code max-shrink} percent smaller than the one published before it.
 */
public record CheckLimits(Duration maxAge, int maxShrinkPercent) {
  public static final String MAX_AGE = "max-age";
  public static final String MAX_SHRINK = "max-shrink";
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(26);
  public static final int DEFAULT_MAX_SHRINK = 50;

  /** The inputs as the command line converted them (null: not given), with the defaults. */
  public static CheckLimits of(Duration maxAge, Integer maxShrinkPercent) {
    return new CheckLimits(
        Objects.requireNonNullElse(maxAge, DEFAULT_MAX_AGE),
        Objects.requireNonNullElse(maxShrinkPercent, DEFAULT_MAX_SHRINK));
  }

  /**
   * Whether {@code size} is more than {@code max-shrink} percent below {@code previous}: exactly
   * that much smaller still passes.
   */
  public boolean shrankTooMuch(long previous, long size) {
    return size * 100 < previous * (100L - maxShrinkPercent);
  }

  /** The change from {@code previous} to {@code size} in percent, to a tenth; none from nothing. */
  public static java.util.OptionalDouble changePercent(long previous, long size) {
    if (previous == 0) {
      return java.util.OptionalDouble.empty();
    }
    return java.util.OptionalDouble.of(Math.round((size - previous) * 1000.0 / previous) / 10.0);
  }

  /** {@code <number><s|m|h|d>}: a whole number of at least 1 and one unit, e.g. 26h or 2d. */
  public static Duration parseMaxAge(String text) {
    return Inputs.duration(text, MAX_AGE, "26h or 2d");
  }

  /** A whole percentage from 0 (no shrink at all) to 100 (any shrink). */
  public static int parseMaxShrink(String text) {
    String given = text.strip();
    if (!given.matches("[0-9]{1,3}") || Integer.parseInt(given) > 100) {
      throw new InputException(
          MAX_SHRINK + " must be a whole percentage from 0 to 100, e.g. 50 (got '" + given + "')");
    }
    return Inputs.wholeNumber(given, MAX_SHRINK, 0, 100);
  }

  /** The limit as a user wrote it: 26h rather than PT26H. */
  public static String shown(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
