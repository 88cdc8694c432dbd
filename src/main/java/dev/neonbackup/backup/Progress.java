package dev.neonbackup.backup;

import dev.neonbackup.report.Units;

import dev.neonbackup.report.Reporter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Prints how far the dump has got, every {@code interval}, until closed. */
final class Progress implements AutoCloseable {
  private final ScheduledExecutorService ticker;

  private Progress(ScheduledExecutorService ticker) {
    this.ticker = ticker;
  }

  static Progress start(Reporter reporter, LongSupplier bytes, Duration interval) {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "progress");
              thread.setDaemon(true);
              return thread;
            });
    long startNanos = System.nanoTime();
    ticker.scheduleAtFixedRate(
        () -> {
          double seconds = (System.nanoTime() - startNanos) / 1e9;
          long sofar = bytes.getAsLong();
          reporter.info(
              "progress: " + Units.bytes(sofar) + " so far, " + Units.rate(sofar, seconds));
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return new Progress(ticker);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
