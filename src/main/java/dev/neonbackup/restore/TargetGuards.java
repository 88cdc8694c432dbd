package dev.neonbackup.restore;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.Psql;
import dev.neonbackup.postgres.SameDatabaseCheck;
import dev.neonbackup.report.Reporter;
import java.util.List;

/**
 * What restore checks before pg_restore touches the target: that it is not the database the
 * backups come from (asked of the servers, when {@code database-url} is given), and that it holds
 * no tables unless {@code clean} (a restore adds the archive's rows to what is there, and tables
 * without a primary key would hold them twice).
 */
final class TargetGuards {
  /** Up to four user tables, outside the system schemas and not created by an extension. */
  static final String USER_TABLES =
      "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname !~ '^pg_(toast|temp_)' AND NOT EXISTS (SELECT 1 FROM pg_depend d"
          + " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
          + " ORDER BY 1 LIMIT 4";

  private final Reporter reporter;
  private final PgInstallation psql;

  TargetGuards(Reporter reporter, PgInstallation psql) {
    this.reporter = reporter;
    this.psql = psql;
  }

  void check(RestoreSettings settings) {
    settings.source().url().ifPresent(source -> refuseSource(settings, source));
    if (!settings.clean()) {
      refuseOccupied(settings.target());
    }
  }

  private void refuseSource(RestoreSettings settings, ConnectionString source) {
    ConnectionString target = settings.target();
    boolean same =
        new SameDatabaseCheck(psql, reporter.redactor(), reporter::warn)
            .same(source, FailureKind.RESTORE, target, FailureKind.RESTORE);
    if (!same) {
      return;
    }
    String names =
        target.inputName() + " is the database " + source.inputName() + " names (the backups' source)";
    if (!settings.source().allowedAsTarget()) {
      throw new InputException(
          names
              + "; restore refuses to write into it: restore into another database, or set "
              + RestoreSettings.ALLOW_SOURCE_TARGET
              + ": true to restore into the source itself (e.g. after it was emptied)");
    }
    if (settings.clean()) {
      throw new InputException(
          names
              + "; clean would drop the source's objects, so it is refused into the source even with "
              + RestoreSettings.ALLOW_SOURCE_TARGET
              + ": true");
    }
    reporter.warn(names + "; restoring into it, as " + RestoreSettings.ALLOW_SOURCE_TARGET + " allows");
  }

  private void refuseOccupied(ConnectionString target) {
    List<String> tables =
        Psql.query(psql, target, reporter.redactor(), USER_TABLES, FailureKind.RESTORE);
    if (!tables.isEmpty()) {
      throw new InputException(
          target.inputName()
              + "'s database already holds tables ("
              + String.join(", ", tables.subList(0, Math.min(3, tables.size())))
              + (tables.size() > 3 ? ", ..." : "")
              + "); a restore would add the archive's rows to theirs: restore into an empty"
              + " database, or set clean: true to drop the archive's objects first");
    }
  }
}
