package dev.neonbackup.backup;

import dev.neonbackup.catalog.MonthlyEgress;
import dev.neonbackup.catalog.SeriesHistory;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.report.ProgressLine;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A database's earlier backups under the prefix, read on a thread of their own while pg_dump runs:
 * the last few for the progress estimate and the summary's trend, and this month's for the bytes
 * received. pg_dump never waits for them (with many backups, reading their manifests takes
 * seconds). They are nice to have: a listing or a manifest that cannot be read is a warning, never
 * a failed backup. This month's are read once per run, for all its databases.
 */
final class EarlierBackups {
  private final Reporter reporter;
  private final BackupStore store;
  private final Map<Instant, Optional<MonthlyEgress>> months = new HashMap<>();

  EarlierBackups(Reporter reporter, BackupStore store) {
    this.reporter = reporter;
    this.store = store;
  }

  private static final Read NOTHING = new Read(Optional.empty(), Optional.empty());

  /** What was read: the previous backups, newest first (none when unreadable), and the month's. */
  record Read(Optional<List<SeriesHistory.Point>> history, Optional<MonthlyEgress> month) {
    List<SeriesHistory.Point> previous() {
      return history.orElse(List.of());
    }
  }

  /** Starts reading for {@code database}. */
  Pending start(RunPlan plan, String database) {
    CompletableFuture<Read> read = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                Optional<List<SeriesHistory.Point>> history = previous(plan, database);
                read.complete(new Read(history, thisMonth(plan, history.isPresent())));
              } catch (RuntimeException e) {
                // Not a storage failure (those are warnings below): still never the backup's end,
                // which comes after the archive is stored.
                reporter.warn(
                    "could not read the earlier backups of '" + database + "' (" + e
                        + "); the summary has no trend and no month's received bytes");
                read.complete(NOTHING);
              } finally {
                read.complete(NOTHING);
              }
            },
            "earlier-backups");
    thread.setDaemon(true);
    thread.start();
    return new Pending(read);
  }

  /** A reading under way. */
  static final class Pending {
    private final CompletableFuture<Read> read;

    private Pending(CompletableFuture<Read> read) {
      this.read = read;
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
     * Waits for the reading to end. It comes after the archive is stored, so it never throws: an
     * interrupt (a cancelled run) gives nothing read, and the interrupt stays set.
     */
    Read await() {
      try {
        return read.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NOTHING;
      } catch (ExecutionException e) {
        return NOTHING;
      }
    }
  }

  private Optional<List<SeriesHistory.Point>> previous(RunPlan plan, String database) {
    try {
      return Optional.of(SeriesHistory.recent(
          store, plan.settings().storage().prefix(), database, plan.runStamp(), SeriesHistory.SHOWN - 1));
    } catch (FailureException e) {
      reporter.warn(
          "could not read the earlier backups of '" + database + "' (" + e.getMessage()
              + "); this one is made all the same, without a size comparison or the month's"
              + " received bytes");
      return Optional.empty();
    }
  }

  /** Unless the trend's listing has said the bucket cannot be read ({@code warn} false). */
  private synchronized Optional<MonthlyEgress> thisMonth(RunPlan plan, boolean warn) {
    return months.computeIfAbsent(plan.runStamp(), stamp -> readThisMonth(plan, warn));
  }

  private Optional<MonthlyEgress> readThisMonth(RunPlan plan, boolean warn) {
    String prefix = plan.settings().storage().prefix();
    try {
      return Optional.of(MonthlyEgress.before(store, prefix, plan.runStamp()));
    } catch (FailureException e) {
      if (warn) {
        reporter.warn(
          "could not read this month's backups under '" + prefix + "' (" + e.getMessage()
              + "); the summary has no month's total of the bytes received from the server");
      }
      return Optional.empty();
    }
  }
}
