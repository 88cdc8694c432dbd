package dev.neonbackup.actions;

import java.io.Writer;
import java.util.function.Consumer;

/**
 * A writer for text the program does not compose line by line itself (picocli's usage and
 * messages): it collects whole lines and hands each to {@code sink}, which makes it inert. A line
 * left open when flushed is handed over as it is.
 */
final class InertWriter extends Writer {
  private final Consumer<String> sink;
  private final StringBuilder pending = new StringBuilder();

  InertWriter(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public synchronized void write(char[] buffer, int offset, int length) {
    pending.append(buffer, offset, length);
    int end;
    while ((end = pending.indexOf("\n")) >= 0) {
      sink.accept(pending.substring(0, end));
      pending.delete(0, end + 1);
    }
  }

  @Override
  public synchronized void flush() {
    if (pending.length() > 0) {
      sink.accept(pending.toString());
      pending.setLength(0);
    }
  }

  @Override
  public void close() {
    flush();
  }
}
