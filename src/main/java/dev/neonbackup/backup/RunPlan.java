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
    DumpSource source,
    ConnectionString connection,
    DumpClient dumpClient,
    ServerInfo server,
    List<String> databases,
    Instant runStamp) {

  /** The pg_dump chosen for the server, and the version it reports. */
  record DumpClient(PgInstallation installation, String version) {}

  PgInstallation client() {
    return dumpClient.installation();
  }

  String pgDumpVersion() {
    return dumpClient.version();
  }

  /** How {@code database} is dumped: as its owner when the Neon API named it. */
  ConnectionString connectionFor(String database) {
    return source.connectionFor(database, connection);
  }

  /** Whether the run dumps one database, so pg_dump's lines need no label. */
  boolean alone() {
    return databases.size() == 1;
  }
}
