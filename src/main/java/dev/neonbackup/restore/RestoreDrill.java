package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.neon.BranchNames;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.Psql;
import dev.neonbackup.postgres.TableCounts;
import dev.neonbackup.postgres.TableCounts.Rows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Proves a backup restores: empties a scratch database (every schema in it is dropped), restores
 * the archive just stored into it, then compares, table by table, the row counts of the source
 * with the restored copy. The source is counted after the restore, so on a database written to
 * during the backup a busy table can differ: the drill is meant for a quiet hour or a branch.
 */
public final class RestoreDrill {
  public static final String INPUT = "restore-check-url";

  /** The start of the name of the database the exact drill makes in the temporary branch. */
  public static final String SCRATCH_PREFIX = "neon_backup_drill_";

  /** pg_restore's options for the exact drill: the data, without owners and privileges. */
  static final List<String> DATA_ONLY_RIGHTS = List.of("--no-owner", "--no-privileges");

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

  /**
   * The comparison: each table's rows in the source and in the restored copy. {@code exact}: the
   * two are of one instant and compared by checksum too; otherwise by row count alone.
   */
  public record Outcome(Map<String, Rows> source, Map<String, Rows> restored, boolean exact) {
    /** A comparison of row counts alone. */
    public Outcome(Map<String, Long> source, Map<String, Long> restored) {
      this(countsOnly(source), countsOnly(restored), false);
    }

    public Outcome {
      source = Map.copyOf(source);
      restored = Map.copyOf(restored);
    }

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

    private static Map<String, Rows> countsOnly(Map<String, Long> counts) {
      Map<String, Rows> rows = new TreeMap<>();
      counts.forEach((table, count) -> rows.put(table, new Rows(count, "")));
      return rows;
    }
  }

  private final Reporter reporter;
  private final BackupStore store;
  private final Path clientRoot;

  public RestoreDrill(Reporter reporter, BackupStore store, Path clientRoot) {
    this.reporter = reporter;
    this.store = store;
    this.clientRoot = clientRoot;
  }

  /**
   * Restores what {@code scratch} names into its target, then compares row counts with {@code
   * source} (after Neon's rules, as the backup reached it).
   */
  public Outcome run(RestoreSettings scratch, ConnectionString source, boolean allowPooled) {
    ObjectLocation archive = store.at(scratch.backupKey());
    reporter.info("restore drill: restoring " + archive.url() + " into " + scratch.target().redacted());
    List<PgInstallation> installed = PgClients.discover(scratch.pgBinDir(), clientRoot);
    PgInstallation psql = installed.get(installed.size() - 1);
    try {
      Psql.query(psql, scratch.target(), reporter.redactor(), EMPTY_SCRATCH, FailureKind.RESTORE_CHECK);
      new RestoreService(reporter, store, clientRoot).restore(scratch);
    } catch (FailureException e) {
      throw new FailureException(
          FailureKind.RESTORE_CHECK,
          "the backup is stored at " + archive.url() + ", but the restore drill failed: " + e.getMessage(),
          e);
    }
    Map<String, Long> sourceCounts =
        TableCounts.of(psql, NeonRules.apply(source, allowPooled).connection(), reporter.redactor());
    Map<String, Long> restored = TableCounts.of(psql, scratch.target(), reporter.redactor());
    return reported(new Outcome(sourceCounts, restored));
  }

  /**
   * The exact drill, in the temporary branch the backup was dumped from: makes a new database
   * beside {@code snapshot} (the dumped database in that branch, Neon's rules applied), restores the
   * archive into it, then compares every table of the two by row count and checksum. Both hold the
   * branch's one instant, so any difference is the archive's. The database goes with the branch.
   * Owners and privileges are left out of this restore: the drill proves the data.
   */
  public Outcome runInBranch(DrillArchive archive, ConnectionString snapshot) {
    ObjectLocation location = store.at(archive.backupKey());
    List<PgInstallation> installed = PgClients.discover(archive.pgBinDir(), clientRoot);
    PgInstallation psql = installed.get(installed.size() - 1);
    String name = SCRATCH_PREFIX + BranchNames.randomToken();
    ConnectionString scratch = snapshot.withDatabase(name);
    reporter.info("restore drill: restoring " + location.url() + " into " + scratch.redacted());
    try {
      List<String> create =
          Psql.query(psql, snapshot, reporter.redactor(), createLike(name), FailureKind.RESTORE_CHECK);
      Psql.alone(psql, snapshot, reporter.redactor(), create.get(0), FailureKind.RESTORE_CHECK);
      new RestoreService(reporter, store, clientRoot).restore(archive.into(scratch, DATA_ONLY_RIGHTS));
    } catch (FailureException e) {
      throw new FailureException(
          FailureKind.RESTORE_CHECK,
          "the backup is stored at " + location.url() + ", but the restore drill failed: " + e.getMessage(),
          e);
    }
    Map<String, Rows> restored = TableCounts.withChecksums(psql, scratch, reporter.redactor());
    Map<String, Rows> source = TableCounts.withChecksums(psql, snapshot, reporter.redactor());
    return reported(new Outcome(source, restored, true));
  }

  /**
   * The statement that makes the scratch database with the snapshot database's encoding and locale
   * (from template0, so nothing of template1 is in it), quoted by the server.
   */
  static String createLike(String name) {
    return "SELECT format('CREATE DATABASE %I TEMPLATE template0 ENCODING %L LC_COLLATE %L"
        + " LC_CTYPE %L', '" + name + "', pg_encoding_to_char(encoding), datcollate, datctype)"
        + " FROM pg_database WHERE datname = current_database()";
  }

  private Outcome reported(Outcome outcome) {
    reporter.info(
        "restore drill: "
            + outcome.source().size()
            + (outcome.exact() ? " tables, sequences and large objects compared, " : " tables compared, ")
            + (outcome.passed()
                ? outcome.exact() ? "all rows equal" : "all row counts equal"
                : "differences in " + outcome.mismatches()));
    return outcome;
  }
}
