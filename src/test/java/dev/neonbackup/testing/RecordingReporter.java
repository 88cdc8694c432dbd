package dev.neonbackup.testing;

import dev.neonbackup.report.Redactor;
import dev.neonbackup.report.Reporter;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Reporter} that keeps every line, redacted as a real one would, for tests to read back.
 * Safe to use from several threads (pg_dump's chatter arrives on its own).
 */
public final class RecordingReporter implements Reporter {
  /** What kind of line it was. */
  public enum Level {
    INFO,
    DETAIL,
    WARN,
    ERROR,
    GROUP,
    END_GROUP
  }

  /** One line as the reporter received it, after redaction. */
  public record Line(Level level, String text) {}

  private final Redactor redactor;
  private final List<Line> lines = new ArrayList<>();

  public RecordingReporter() {
    this(Redactor.none());
  }

  public RecordingReporter(Redactor redactor) {
    this.redactor = redactor;
  }

  /** Every line so far, in order. */
  public synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The texts of the lines of one level, in order. */
  public synchronized List<String> lines(Level level) {
    return lines.stream().filter(line -> line.level() == level).map(Line::text).toList();
  }

  /** Every line as {@code LEVEL text}, one per line: for assertion messages. */
  public synchronized String transcript() {
    StringBuilder out = new StringBuilder();
    lines.forEach(line -> out.append(line.level()).append(' ').append(line.text()).append('\n'));
    return out.toString();
  }

  @Override
  public void info(String message) {
    record(Level.INFO, message);
  }

  @Override
  public void detail(String message) {
    record(Level.DETAIL, message);
  }

  @Override
  public void warn(String message) {
    record(Level.WARN, message);
  }

  @Override
  public void group(String title) {
    record(Level.GROUP, title);
  }

  @Override
  public void endGroup() {
    record(Level.END_GROUP, "");
  }

  @Override
  public void error(String message) {
    record(Level.ERROR, message);
  }

  @Override
  public Redactor redactor() {
    return redactor;
  }

  private synchronized void record(Level level, String message) {
    lines.add(new Line(level, redactor.redact(message)));
  }
}
