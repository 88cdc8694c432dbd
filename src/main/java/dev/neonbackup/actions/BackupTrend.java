package dev.neonbackup.actions;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.catalog.SeriesHistory.Point;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.report.Units;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * A backup against the ones before it: its size change, the warning when it shrank more than
 * {@code max-shrink}, and the trend of the last backups in the summary: a table, a line of text
 * that renders anywhere, and Mermaid charts where GitHub renders them. Sizes are the pg_dump
 * archive's (inside any encryption), as {@code check} compares them.
 */
public final class BackupTrend {
  private static final DateTimeFormatter ROW =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String BARS = "▁▂▃▄▅▆▇█";

  private BackupTrend() {}

  /** The change against the previous backup, in percent; none without one. */
  public static OptionalDouble change(BackupResult result) {
    return result.previous().isEmpty()
        ? OptionalDouble.empty()
        : CheckLimits.changePercent(result.previous().get(0).archiveBytes(), result.archiveBytes());
  }

  /** The warning for a backup that shrank more than the limit; the backup itself stands. */
  public static Optional<String> shrinkWarning(BackupResult result, CheckLimits limits) {
    if (result.previous().isEmpty()) {
      return Optional.empty();
    }
    Point before = result.previous().get(0);
    if (!limits.shrankTooMuch(before.archiveBytes(), result.archiveBytes())) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "the backup of '%s' is stored, but it is %.1f%% smaller than the one before it, %s"
                + " (%s against %s), more than %s %d%%: did data go missing?",
            result.database(),
            -change(result).orElse(0),
            before.key(),
            Units.bytes(result.archiveBytes()),
            Units.bytes(before.archiveBytes()),
            CheckLimits.MAX_SHRINK,
            limits.maxShrinkPercent()));
  }

  /** The size row's words about the change: "-2.1% against the previous backup". */
  static String changeText(BackupResult result, CheckLimits limits) {
    OptionalDouble change = change(result);
    if (change.isEmpty()) {
      return result.previous().isEmpty() ? "; no earlier backup to compare with" : "";
    }
    String text = String.format(Locale.ROOT, "%+.1f%% against the previous backup", change.getAsDouble());
    return shrinkWarning(result, limits).isPresent()
        ? "; **" + text + ", more than " + CheckLimits.MAX_SHRINK + " " + limits.maxShrinkPercent() + "%**"
        : "; " + text;
  }

  /** The trend section: nothing for a first backup. */
  static String markdown(BackupResult result) {
    if (result.previous().isEmpty()) {
      return "";
    }
    List<Point> newestFirst = new ArrayList<>();
    newestFirst.add(result.point());
    newestFirst.addAll(result.previous());
    List<Point> oldestFirst = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    StringBuilder out = new StringBuilder();
    out.append("\n#### Last ").append(newestFirst.size()).append(" backups of ")
        .append(BackupReport.code(result.database())).append("\n\n");
    out.append("| backup (UTC) | archive size | change | duration |\n|---|---|---|---|\n");
    for (int i = 0; i < newestFirst.size(); i++) {
      Point point = newestFirst.get(i);
      OptionalDouble change =
          i + 1 < newestFirst.size()
              ? CheckLimits.changePercent(newestFirst.get(i + 1).archiveBytes(), point.archiveBytes())
              : OptionalDouble.empty();
      out.append("| ").append(ROW.format(point.stamp())).append(i == 0 ? " (this one)" : "")
          .append(" | ").append(Units.bytes(point.archiveBytes()))
          .append(" | ").append(change.isPresent() ? String.format(Locale.ROOT, "%+.1f%%", change.getAsDouble()) : "")
          .append(" | ").append(Units.seconds(point.duration().toMillis() / 1000.0)).append(" s |\n");
    }
    out.append("\nSize, oldest to newest: `").append(sparkline(oldestFirst)).append("`\n");
    out.append(sizeChart(oldestFirst)).append(durationChart(oldestFirst));
    return out.toString();
  }

  /** One block character per backup, from the smallest to the largest of the series. */
  static String sparkline(List<Point> oldestFirst) {
    long min = oldestFirst.stream().mapToLong(Point::archiveBytes).min().orElse(0);
    long max = oldestFirst.stream().mapToLong(Point::archiveBytes).max().orElse(0);
    StringBuilder line = new StringBuilder();
    for (Point point : oldestFirst) {
      int level = max == min ? BARS.length() - 1
          : (int) ((point.archiveBytes() - min) * (BARS.length() - 1) / (max - min));
      line.append(BARS.charAt(level));
    }
    return line.toString();
  }

  private static String sizeChart(List<Point> oldestFirst) {
    long max = oldestFirst.stream().mapToLong(Point::archiveBytes).max().orElse(0);
    String unit = max >= 1L << 30 ? "GiB" : max >= 1L << 20 ? "MiB" : "KiB";
    double divisor = unit.equals("GiB") ? 1 << 30 : unit.equals("MiB") ? 1 << 20 : 1 << 10;
    return chart("Archive size (" + unit + ")", unit, "bar", oldestFirst, p -> p.archiveBytes() / divisor);
  }

  private static String durationChart(List<Point> oldestFirst) {
    return chart("Duration (s)", "s", "line", oldestFirst, p -> p.duration().toMillis() / 1000.0);
  }

  /** A Mermaid xychart; every word in it is ours or a number, nothing from outside. */
  private static String chart(
      String title, String unit, String kind, List<Point> oldestFirst, ToDoubleFunction<Point> value) {
    // Days tell nightly backups apart; more than one a day needs the time too.
    boolean daily =
        oldestFirst.stream().map(p -> DAY.format(p.stamp())).distinct().count() == oldestFirst.size();
    List<String> labels = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Point point : oldestFirst) {
      labels.add("\"" + (daily ? DAY : HOUR).format(point.stamp()) + "\"");
      values.add(String.format(Locale.ROOT, "%.1f", value.applyAsDouble(point)));
    }
    return "\n```mermaid\nxychart-beta\n  title \"" + title + "\"\n  x-axis [" + String.join(", ", labels)
        + "]\n  y-axis \"" + unit + "\"\n  " + kind + " [" + String.join(", ", values) + "]\n```\n";
  }
}
