package dev.neonbackup.restore;

import dev.neonbackup.backup.BackupResult;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.backup.BackupSettings;
import dev.neonbackup.actions.Console;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.Psql;
import dev.neonbackup.postgres.TableCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Proves a backup restores: empties a scratch database (every schema in it is dropped), restores
 * the archive just stored into it, then compares, table by table, the row counts of the source
 * with the restored copy. The source is counted after the restore, so on a database written to
 * during the backup a busy table can differ: the drill is meant for a quiet hour or a branch.
 */
public final class RestoreDrill {
  public static final String INPUT = "restore-check-url";

  /**
   * Empties the scratch database before each drill: pg_restore --clean drops only the archive's
   * own objects, so a table the source has since dropped or renamed would stay behind, block the
   * drops (foreign keys) or be counted as a difference.
   */
  static final String EMPTY_SCRATCH =
      "SET lock_timeout = '60s'; DO $drill$ DECLARE s name; BEGIN"
          + " FOR s IN SELECT nspname FROM pg_namespace"
          + " WHERE nspname <> 'information_schema' AND nspname !~ '^pg_' LOOP"
          + " EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP;"
          + " CREATE SCHEMA public; END $drill$";

  private RestoreDrill() {}

  /** The comparison: each table's rows in the source and in the restored copy. */
  public record Outcome(Map<String, Long> source, Map<String, Long> restored) {
    public List<String> mismatches() {
      TreeSet<String> tables = new TreeSet<>(source.keySet());
      tables.addAll(restored.keySet());
      return tables.stream()
          .filter(t -> !Optional.ofNullable(source.get(t)).equals(Optional.ofNullable(restored.get(t))))
          .toList();
    }

    public boolean passed() {
      return mismatches().isEmpty();
    }
  }

  public static Outcome run(
      Console console,
      S3Client s3,
      Path clientRoot,
      BackupSettings settings,
      BackupResult stored,
      ConnectionString scratch) {
    console.info("restore drill: restoring " + stored.location().url() + " into " + scratch.redacted());
    RestoreSettings restore =
        RestoreSettings.forDrill(
            settings.storage(),
            stored.location().key(),
            stored.database(),
            scratch,
            settings.pgBinDir());
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    PgInstallation psql = installed.get(installed.size() - 1);
    try {
      Psql.query(psql, scratch, INPUT, console.redactor(), EMPTY_SCRATCH, FailureKind.RESTORE_CHECK);
      new RestoreService(console, s3, clientRoot).restore(restore);
    } catch (FailureException e) {
      throw new FailureException(
          FailureKind.RESTORE_CHECK,
          "the backup is stored at " + stored.location().url() + ", but the restore drill failed: " + e.getMessage(),
          e);
    }
    Map<String, Long> source =
        TableCounts.of(
            psql,
            NeonRules.apply(settings.database(), settings.reach().allowPooled()).connection(),
            BackupSettings.DATABASE_URL,
            console.redactor());
    Map<String, Long> restored = TableCounts.of(psql, scratch, INPUT, console.redactor());
    Outcome outcome = new Outcome(source, restored);
    console.info(
        "restore drill: "
            + source.size()
            + " tables compared, "
            + (outcome.passed() ? "all row counts equal" : "differences in " + outcome.mismatches()));
    return outcome;
  }
}
