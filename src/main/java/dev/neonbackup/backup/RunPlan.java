package dev.neonbackup.backup;

import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.ServerInfo;
import java.time.Instant;
import java.util.List;

/**
 * Everything the databases of one run share, decided before the first dump: the connection after
 * Neon's rules, the pg_dump chosen for the server, the databases, and the run's timestamp.
 */
record RunPlan(
    BackupSettings settings,
    ConnectionString connection,
    PgInstallation client,
    String pgDumpVersion,
    ServerInfo server,
    List<String> databases,
    Instant runStamp) {

  /** Whether the run dumps one database, so pg_dump's lines need no label. */
  boolean alone() {
    return databases.size() == 1;
  }
}
