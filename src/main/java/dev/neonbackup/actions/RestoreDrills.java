package dev.neonbackup.actions;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.BackupSettings;
import dev.neonbackup.backup.DumpSource;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.restore.DrillArchive;
import dev.neonbackup.restore.RestoreDrill;
import dev.neonbackup.restore.RestoreSettings;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import java.util.List;
import java.util.Map;

/**
 * The restore drill after a stored backup, in the form the inputs chose: into restore-check-url,
 * compared by row counts with the source, or into a new database of the temporary branch,
 * compared exactly with the snapshot. Publishes {@code restore-check} and the summary's table; a
 * difference is exit 9.
 */
public final class RestoreDrills {
  private RestoreDrills() {}

  public static void run(
      Console console,
      BackupSettings settings,
      DumpSource source,
      BackupStore store,
      List<BackupResult> results,
      Map<String, String> environment) {
    if (results.size() != 1) {
      console.warn(
          "Restore drill skipped",
          "the restore drill checks one database; this run backed up " + results.size()
              + ", so it is skipped");
      return;
    }
    BackupResult result = results.get(0);
    RestoreDrill drill = new RestoreDrill(console, store, PgClients.DEBIAN_ROOT);
    RestoreDrill.Outcome outcome;
    try {
      outcome = settings.restoreCheckBranch() ? inBranch(drill, settings, source, result)
          : intoScratch(drill, settings, source, result);
    } catch (FailureException e) {
      // A drill a signal cut short has no verdict: the cancel line says what happened.
      if (!ShutdownPath.process().cancelling()) {
        BackupReport.publishDrillFailure(environment);
      }
      throw e;
    }
    BackupReport.publishDrill(outcome, environment);
    if (!outcome.passed()) {
      throw new FailureException(
          FailureKind.RESTORE_CHECK,
          "the backup is stored at " + result.location().url() + ", but the restore drill found "
              + (outcome.exact() ? "different rows in " : "different row counts in ")
              + String.join(", ", outcome.mismatches()));
    }
  }

  private static RestoreDrill.Outcome intoScratch(
      RestoreDrill drill, BackupSettings settings, DumpSource source, BackupResult result) {
    RestoreSettings scratch =
        RestoreSettings.forDrill(
            settings.storage(),
            result.location().key(),
            result.database(),
            settings.restoreCheck().orElseThrow(),
            settings.pgBinDir(),
            settings.drillIdentity());
    return drill.run(scratch, source.connectionOf(result.database()), settings.reach().allowPooled());
  }

  private static RestoreDrill.Outcome inBranch(
      RestoreDrill drill, BackupSettings settings, DumpSource source, BackupResult result) {
    ConnectionString snapshot =
        NeonRules.apply(source.connectionOf(result.database()), settings.reach().allowPooled())
            .connection();
    DrillArchive archive =
        new DrillArchive(
            settings.storage(),
            result.location().key(),
            result.database(),
            settings.pgBinDir(),
            settings.drillIdentity());
    return drill.runInBranch(archive, snapshot);
  }
}
