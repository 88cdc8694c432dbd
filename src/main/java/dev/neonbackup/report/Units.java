package dev.neonbackup.report;

import java.util.Locale;

/** Human-readable sizes and rates. */
public final class Units {
  private Units() {}

  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  public static String rate(long bytes, double seconds) {
    double megabytesPerSecond = seconds <= 0 ? 0 : bytes / 1e6 / seconds;
    return String.format(Locale.ROOT, "%.1f MB/s", megabytesPerSecond);
  }

  public static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds);
  }
}
