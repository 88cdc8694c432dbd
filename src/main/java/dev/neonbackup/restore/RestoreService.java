package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServerInfo;
import dev.neonbackup.postgres.ServerProbe;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Units;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Restores one backup into a database: finds it, picks a pg_restore at least as new as the pg_dump
 * that wrote it, and feeds the archive to it (streamed, or downloaded first for {@code jobs} > 1).
 */
public final class RestoreService {
  /** The start of the name of every directory a parallel restore downloads into. */
  public static final String DOWNLOAD_PREFIX = "neon-restore-";

  private final Reporter reporter;
  private final BackupStore store;
  private final Path clientRoot;
  private final java.time.Duration progressInterval;

  public RestoreService(Reporter reporter, BackupStore store, Path clientRoot) {
    this(reporter, store, clientRoot, java.time.Duration.ofSeconds(10));
  }

  /** {@code progressInterval}: how often a streamed restore says how far it has got. */
  public RestoreService(
      Reporter reporter, BackupStore store, Path clientRoot, java.time.Duration progressInterval) {
    this.reporter = reporter;
    this.store = store;
    this.clientRoot = clientRoot;
    this.progressInterval = progressInterval;
  }

  /**
   * What was restored, where to (the target's connection string, password redacted), how long it
   * took from the start of the restore, and how many tables' data pg_restore restored.
   */
  public record Restored(
      ObjectLocation location,
      long sizeBytes,
      String sha256,
      String pgRestore,
      String target,
      double durationSeconds,
      int tablesRestored) {}

  public Restored restore(RestoreSettings settings) {
    return restore(settings, lookUp(settings), System.nanoTime());
  }

  /** {@link #restore} of an archive already looked up, counting the time from {@code started}. */
  Restored restore(RestoreSettings settings, BackupToRestore found, long started) {
    return restore(settings, CompletableFuture.completedFuture(found), started);
  }

  private Restored restore(
      RestoreSettings settings, CompletableFuture<BackupToRestore> lookup, long started) {
    TargetSide side;
    try {
      side = prepareTarget(settings);
    } catch (RuntimeException e) {
      await(lookup); // the archive's failure, if any, is the one to report, as it comes first
      throw e;
    }
    BackupToRestore backup = await(lookup);
    if (settings.source().url().isPresent()) {
      side.guards().check(settings); // it writes a marker into the target: only for a good archive
    }
    PgInstallation client = PgClients.pickRestore(side.installed(), backup.dumpMajor(), side.target().major());
    String version = PgClients.versionOf(client.tool("pg_restore")).orElse("" + client.major());
    reporter.info(
        "restoring "
            + backup.location().url()
            + " ("
            + Units.bytes(backup.size())
            + ") into "
            + settings.target().redacted()
            + " (PostgreSQL "
            + side.target().version()
            + ") with pg_restore "
            + version
            + (settings.jobs() > 1 ? ", " + settings.jobs() + " jobs" : ""));
    if (backup.manifest().isEmpty()) {
      TableOfContentsCheck.run(store, reporter, client, backup);
    }
    PgRestoreFeed feed = new PgRestoreFeed(reporter, store, progressInterval);
    String sha256 =
        settings.jobs() > 1
            ? feed.download(settings, client, backup)
            : feed.stream(settings, client, backup);
    reporter.info("restored " + backup.location().url() + " into " + settings.target().redacted());
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Restored(
        backup.location(), backup.size(), sha256, version, settings.target().redacted(), seconds,
        feed.tablesRestored());
  }

  /** What restore knows of the target before the archive is known good. */
  private record TargetSide(List<PgInstallation> installed, ServerInfo target, TargetGuards guards) {}

  /**
   * Finds the clients and probes the target; without a source to compare with, also runs the
   * read-only guards. Runs while the archive is looked up: the checks before pg_restore starts
   * are a fixed cost of every restore, and the bucket and the server answer in parallel.
   */
  private TargetSide prepareTarget(RestoreSettings settings) {
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    if (installed.isEmpty()) {
      throw new FailureException(
          FailureKind.RESTORE, "no pg_restore found under " + clientRoot + "/*/bin: set pg-bin-dir");
    }
    reporter.info("connecting to " + settings.target().redacted());
    PgInstallation newest = installed.get(installed.size() - 1);
    ServerInfo target = ServerProbe.probe(newest, settings.target(), reporter.redactor());
    TargetGuards guards = new TargetGuards(reporter, newest);
    if (settings.source().url().isEmpty()) {
      guards.check(settings);
    }
    return new TargetSide(installed, target, guards);
  }

  /** Looks the archive up in the bucket on a thread of its own. */
  private CompletableFuture<BackupToRestore> lookUp(RestoreSettings settings) {
    CompletableFuture<BackupToRestore> lookup = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                lookup.complete(BackupToRestore.find(store, reporter, settings));
              } catch (RuntimeException | Error e) {
                lookup.completeExceptionally(e);
              }
            },
            "restore-lookup");
    thread.setDaemon(true);
    thread.start();
    return lookup;
  }

  private static BackupToRestore await(CompletableFuture<BackupToRestore> lookup) {
    try {
      return lookup.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }
}
