package dev.neonbackup.backup;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * One backup run: prepare (connection, server, pg_dump, databases), then back up each database
 * into its own archive under the run's timestamp, then the roles if asked. A database that fails
 * does not stop the others; the outcome holds both.
 */
public final class BackupService {
  private final Reporter reporter;
  private final BackupStore store;
  private final RunPreparation preparation;
  private final DatabaseBackup databaseBackup;

  /** {@code toolVersion} goes into every manifest. */
  public BackupService(
      Reporter reporter,
      Clock clock,
      BackupStore store,
      Path clientRoot,
      Duration progressInterval,
      String toolVersion) {
    this(reporter, clock, store, clientRoot, progressInterval, toolVersion, UnaryOperator.identity());
  }

  /** {@code verifierTap} wraps the verifier's input: tests use it to damage what it sees. */
  BackupService(
      Reporter reporter,
      Clock clock,
      BackupStore store,
      Path clientRoot,
      Duration progressInterval,
      String toolVersion,
      UnaryOperator<OutputStream> verifierTap) {
    this.reporter = reporter;
    this.store = store;
    this.preparation = new RunPreparation(reporter, clock, clientRoot);
    this.databaseBackup =
        new DatabaseBackup(reporter, clock, store, progressInterval, verifierTap, toolVersion);
  }

  /** Backs up the one database a run selects; throws if it failed. */
  public BackupResult run(BackupSettings settings) {
    RunOutcome outcome = runAll(settings);
    if (!outcome.failures().isEmpty()) {
      throw outcome.failures().values().iterator().next();
    }
    return outcome.results().get(0);
  }

  /** Backs up every selected database of database-url, each into its own archive. */
  public RunOutcome runAll(BackupSettings settings) {
    return runAll(settings, DumpSource.of(settings.databaseUrl().orElseThrow()));
  }

  /** Backs up every selected database of {@code source}, each into its own archive under the same run timestamp. */
  public RunOutcome runAll(BackupSettings settings, DumpSource source) {
    RunPlan plan = preparation.prepare(settings, source);
    Map<String, BackupResult> results = new ConcurrentHashMap<>();
    Map<String, FailureException> failures = new ConcurrentHashMap<>();
    ParallelDatabases.forEach(
        plan.databases(),
        settings.reach().parallelDatabases(),
        database -> backUp(plan, database, results, failures));
    Optional<ObjectLocation> roles = Optional.empty();
    if (settings.reach().includeRoles()) {
      try {
        roles = Optional.of(new RolesBackup(reporter, store).run(plan));
      } catch (FailureException e) {
        failures.put(
            RunOutcome.ROLES,
            new FailureException(
                FailureKind.AFTER_PUBLISH, "storing the roles failed: " + e.getMessage(), e));
      }
    }
    return new RunOutcome(
        List.copyOf(ordered(plan.databases(), results).values()),
        Collections.unmodifiableMap(ordered(plan.databases(), failures)),
        roles);
  }

  private void backUp(
      RunPlan plan,
      String database,
      Map<String, BackupResult> results,
      Map<String, FailureException> failures) {
    try {
      results.put(database, databaseBackup.run(plan, database));
    } catch (AfterPublishException e) {
      results.put(database, e.stored());
      failures.put(database, e);
    } catch (FailureException e) {
      failed(plan, database, e, failures);
    } catch (RuntimeException e) {
      FailureException failure =
          new FailureException(
              FailureKind.INTERNAL,
              "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
              e);
      failed(plan, database, failure, failures);
    }
  }

  /**
   * Keeps the failure for the run's final line. With several databases it is also told now, as the
   * others go on; a database backed up alone has only that final line, so it is said once.
   */
  private void failed(
      RunPlan plan, String database, FailureException failure, Map<String, FailureException> failures) {
    failures.put(database, failure);
    if (!plan.alone()) {
      reporter.error(
          "Database backup failed", "database '" + DatabaseSelection.shown(database) + "': " + failure.getMessage());
    }
  }

  private static <T> LinkedHashMap<String, T> ordered(List<String> order, Map<String, T> values) {
    LinkedHashMap<String, T> result = new LinkedHashMap<>();
    order.forEach(key -> Optional.ofNullable(values.get(key)).ifPresent(v -> result.put(key, v)));
    values.forEach(result::putIfAbsent);
    return result;
  }
}
