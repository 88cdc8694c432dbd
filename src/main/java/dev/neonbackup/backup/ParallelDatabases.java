package dev.neonbackup.backup;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Runs an action for each database, up to {@code parallel} at once, and waits for all. */
final class ParallelDatabases {
  private ParallelDatabases() {}

  static void forEach(List<String> databases, int parallel, Consumer<String> action) {
    if (parallel <= 1 || databases.size() <= 1) {
      databases.forEach(action);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, databases.size()));
    try {
      List<Future<?>> running = new ArrayList<>();
      databases.forEach(database -> running.add(pool.submit(() -> action.accept(database))));
      for (Future<?> future : running) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    } catch (ExecutionException e) {
      throw new FailureException(
          FailureKind.INTERNAL, "a database backup crashed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
