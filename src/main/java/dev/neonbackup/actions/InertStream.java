package dev.neonbackup.actions;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A byte stream for what the program does not print itself (libraries' logs, the JVM's report of
 * an uncaught exception): it collects whole lines of UTF-8 and hands each to {@code sink}, which
 * makes it inert. A line left open when flushed is handed over as it is. (No byte of a multi-byte
 * UTF-8 character is a line feed, so a line never splits a character.)
 */
final class InertStream extends OutputStream {
  private final Consumer<String> sink;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  InertStream(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      handOver();
    } else {
      pending.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void flush() {
    if (pending.size() > 0) {
      handOver();
    }
  }

  @Override
  public void close() {
    flush();
  }

  private void handOver() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
  }
}
