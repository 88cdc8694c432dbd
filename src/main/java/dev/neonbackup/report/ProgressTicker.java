package dev.neonbackup.report;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Says how far a dump or a restore has got, every {@code interval}, until closed. */
public final class ProgressTicker implements AutoCloseable {
  private final ScheduledExecutorService ticker;

  private ProgressTicker(ScheduledExecutorService ticker) {
    this.ticker = ticker;
  }

  public static ProgressTicker start(
      Reporter reporter, LongSupplier bytes, Duration interval, ProgressLine line) {
    return start(reporter, bytes, interval, () -> line);
  }

  /** Each line as {@code line} gives it at that moment: an estimate can come in later. */
  public static ProgressTicker start(
      Reporter reporter, LongSupplier bytes, Duration interval, Supplier<ProgressLine> line) {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "progress");
              thread.setDaemon(true);
              return thread;
            });
    long startNanos = System.nanoTime();
    ticker.scheduleAtFixedRate(
        () -> reporter.progress(line.get().line(bytes.getAsLong(), (System.nanoTime() - startNanos) / 1e9)),
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return new ProgressTicker(ticker);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
