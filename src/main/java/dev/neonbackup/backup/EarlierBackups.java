package dev.neonbackup.backup;

import dev.neonbackup.catalog.MonthlyEgress;
import dev.neonbackup.catalog.SeriesHistory;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.report.ProgressLine;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A database's earlier backups under the prefix, read on a thread of their own while pg_dump runs:
 * the last few for the progress estimate and the summary's trend, and this month's for the bytes
 * received. pg_dump never waits for them (with many backups, reading their manifests takes
 * seconds); the stored archive waits for them before it is published, up to {@link #PATIENCE}, so
 * its manifest follows at once. They are nice to have: a listing or a manifest that cannot be read
 * is a warning, never a failed backup. This month's are read once per run, for all its databases.
 */
final class EarlierBackups {
  private static final Read NOTHING = new Read(Optional.empty(), Optional.empty());
  /** How long a stored archive waits for the reading before it is published. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final Reporter reporter;
  private final BackupStore store;
  private final Map<Instant, Optional<MonthlyEgress>> months = new HashMap<>();

  EarlierBackups(Reporter reporter, BackupStore store) {
    this.reporter = reporter;
    this.store = store;
  }

  /** What was read: the previous backups, newest first (none when unreadable), and the month's. */
  record Read(Optional<List<SeriesHistory.Point>> history, Optional<MonthlyEgress> month) {
    List<SeriesHistory.Point> previous() {
      return history.orElse(List.of());
    }
  }

  /** Starts reading for {@code database}. */
  Pending start(RunPlan plan, String database) {
    Pending pending = new Pending(database);
    Thread thread =
        new Thread(
            () -> {
              try {
                Optional<List<SeriesHistory.Point>> history = previous(plan, database, pending::warn);
                pending.read.complete(
                    new Read(history, thisMonth(plan, history.isPresent(), pending::warn)));
              } catch (RuntimeException e) {
                // Not a storage failure (those are warnings below): never the backup's end either.
                pending.warn(
                    "could not read the earlier backups of '" + database + "' (" + e
                        + "); the summary has no trend and no month's received bytes");
              } finally {
                pending.read.complete(NOTHING);
              }
            },
            "earlier-backups");
    thread.setDaemon(true);
    thread.start();
    return pending;
  }

  /** A reading under way. */
  final class Pending {
    private final String database;
    private final CompletableFuture<Read> read = new CompletableFuture<>();
    /** Set once the backup went on without the reading: its warnings would come too late. */
    private volatile boolean left;

    private Pending(String database) {
      this.database = database;
    }

    /** The progress line as far as known now: no estimate until the earlier backups are read. */
    ProgressLine progressLine() {
      Read now = read.getNow(null);
      if (now == null || now.previous().isEmpty()) {
        return ProgressLine.unknown();
      }
      return ProgressLine.likePrevious(now.previous().get(0).archiveBytes());
    }

    /**
     * Waits, before the archive is published, for the reading to end, so the manifest follows the
     * archive at once. A reading still under way after {@link #PATIENCE} is left, and the summary
     * goes without it. An interrupt is a failure: nothing has been published yet.
     */
    Read awaitBeforePublishing() {
      try {
        return read.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        reporter.warn(
            "the earlier backups of '" + database + "' were not read within " + PATIENCE.toSeconds()
                + " s; the summary has no trend and no month's received bytes");
        leave();
        return NOTHING;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        leave();
        throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
      } catch (ExecutionException e) {
        return NOTHING;
      }
    }

    /** The backup failed or went on: the reading's warnings, if any come, are not shown. */
    void leave() {
      left = true;
    }

    private void warn(String message) {
      if (!left) {
        reporter.warn(message);
      }
    }
  }

  private Optional<List<SeriesHistory.Point>> previous(
      RunPlan plan, String database, Consumer<String> warn) {
    try {
      return Optional.of(SeriesHistory.recent(
          store, plan.settings().storage().prefix(), database, plan.runStamp(), SeriesHistory.SHOWN - 1));
    } catch (FailureException e) {
      warn.accept(
          "could not read the earlier backups of '" + database + "' (" + e.getMessage()
              + "); this one is made all the same, without a size comparison or the month's"
              + " received bytes");
      return Optional.empty();
    }
  }

  /**
   * This month's, read once per run; its failure is said ({@code warnings}) unless the trend's
   * listing has said already that the bucket cannot be read.
   */
  private synchronized Optional<MonthlyEgress> thisMonth(
      RunPlan plan, boolean warnings, Consumer<String> warn) {
    return months.computeIfAbsent(plan.runStamp(), stamp -> readThisMonth(plan, warnings, warn));
  }

  private Optional<MonthlyEgress> readThisMonth(RunPlan plan, boolean warnings, Consumer<String> warn) {
    String prefix = plan.settings().storage().prefix();
    try {
      return Optional.of(MonthlyEgress.before(store, prefix, plan.runStamp()));
    } catch (FailureException e) {
      if (warnings) {
        warn.accept(
          "could not read this month's backups under '" + prefix + "' (" + e.getMessage()
              + "); the summary has no month's total of the bytes received from the server");
      }
      return Optional.empty();
    }
  }
}
