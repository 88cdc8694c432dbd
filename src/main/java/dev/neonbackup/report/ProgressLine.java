package dev.neonbackup.report;

import java.util.Locale;

/**
 * A progress line: how much, how fast, and where an end is known or can be guessed, how far and how
 * long still. A backup guesses from the size of the previous backup of its database; a restore
 * knows the archive's size.
 */
public record ProgressLine(Kind kind, long expectedBytes, String label) {
  /** What the expected size is. */
  public enum Kind {
    /** Nothing to go by. */
    NONE,
    /** The previous backup's size: a guess, which this one may pass. */
    PREVIOUS,
    /** The whole: what a restore reads. */
    TOTAL
  }

  public static ProgressLine unknown() {
    return new ProgressLine(Kind.NONE, 0, "");
  }

  public static ProgressLine likePrevious(long previousBytes) {
    return previousBytes > 0 ? new ProgressLine(Kind.PREVIOUS, previousBytes, "") : unknown();
  }

  public static ProgressLine ofTotal(long totalBytes) {
    return totalBytes > 0 ? new ProgressLine(Kind.TOTAL, totalBytes, "") : unknown();
  }

  /** The same lines, each starting {@code [label]}: several databases share the log. */
  public ProgressLine labelled(String name) {
    return new ProgressLine(kind, expectedBytes, "[" + name + "] ");
  }

  /** The line after {@code seconds}, with {@code sofar} bytes done. */
  public String line(long sofar, double seconds) {
    return label + unlabelled(sofar, seconds);
  }

  private String unlabelled(long sofar, double seconds) {
    String rate = Units.rate(sofar, seconds);
    switch (kind) {
      case TOTAL:
        return "progress: " + Units.bytes(sofar) + " of " + Units.bytes(expectedBytes)
            + " (" + percent(sofar) + "), " + rate + left(sofar, seconds);
      case PREVIOUS:
        if (sofar > expectedBytes) {
          return "progress: " + Units.bytes(sofar) + " so far, " + rate
              + "; more than the previous backup's " + Units.bytes(expectedBytes);
        }
        return "progress: " + Units.bytes(sofar) + " so far, " + rate + "; " + percent(sofar)
            + " of the previous backup's " + Units.bytes(expectedBytes) + left(sofar, seconds);
      default:
        return "progress: " + Units.bytes(sofar) + " so far, " + rate;
    }
  }

  private String percent(long sofar) {
    // Floor, so 100% is said only when all of it is there.
    return Math.min(100, sofar * 100 / expectedBytes) + "%";
  }

  /** ", about 3 min left" at the rate so far; nothing before any byte came or once done. */
  private String left(long sofar, double seconds) {
    if (sofar <= 0 || seconds <= 0 || sofar >= expectedBytes) {
      return "";
    }
    double remaining = (expectedBytes - sofar) / (sofar / seconds);
    return ", about " + duration(remaining) + " left";
  }

  /** Rounded up to what a reader needs: 40 s, 3 min, 1 h 20 min. */
  public static String duration(double seconds) {
    long whole = (long) Math.ceil(seconds);
    if (whole < 60) {
      return Math.max(whole, 1) + " s";
    }
    long minutes = (whole + 59) / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    return String.format(Locale.ROOT, "%d h %d min", minutes / 60, minutes % 60);
  }
}
