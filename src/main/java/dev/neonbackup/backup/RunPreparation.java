package dev.neonbackup.backup;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgDumpOptions;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.Psql;
import dev.neonbackup.postgres.ServerInfo;
import dev.neonbackup.postgres.ServerProbe;
import dev.neonbackup.report.Reporter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Before the first dump: apply Neon's rules to the connection, find the installed clients, ask the
 * server its version (retrying while a compute starts), pick the pg_dump for it, and resolve which
 * databases the run covers.
 */
final class RunPreparation {
  private final Reporter reporter;
  private final Clock clock;
  private final Path clientRoot;

  RunPreparation(Reporter reporter, Clock clock, Path clientRoot) {
    this.reporter = reporter;
    this.clock = clock;
    this.clientRoot = clientRoot;
  }

  RunPlan prepare(BackupSettings settings) {
    NeonRules.Adjusted adjusted =
        NeonRules.apply(settings.database(), settings.reach().allowPooled());
    adjusted.warnings().forEach(reporter::warn);
    adjusted.notes().forEach(reporter::info);
    boolean verifyTls = settings.reach().verifyTls();
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    if (installed.isEmpty()) {
      throw new FailureException(
          FailureKind.DATABASE,
          "no pg_dump found under "
              + clientRoot
              + "/*/bin: install postgresql-client-NN, or set pg-bin-dir");
    }
    PgInstallation newest = installed.get(installed.size() - 1);
    ConnectionString connection = NeonRules.tls(adjusted.connection(), verifyTls, newest.major());
    reporter.info("connecting to " + connection.redacted());
    ServerInfo server =
        ServerProbe.probe(
            newest,
            connection,
            reporter.redactor(),
            settings.reach().connectRetries(),
            reporter::warn,
            ServerProbe.SLEEP);
    PgInstallation client = chooseClient(installed, server);
    String pgDumpVersion =
        PgClients.versionOf(client.tool("pg_dump")).orElse(String.valueOf(client.major()));
    settings.compression().ifPresent(c -> c.checkSupportedBy(client.major()));
    PgDumpOptions.checkSupportedBy(settings.pgDumpOptions(), client.major());
    List<String> databases = databases(settings, newest, connection);
    if (databases.size() > 1) {
      reporter.info("backing up " + databases.size() + " databases: " + String.join(", ", databases));
    }
    return new RunPlan(
        settings,
        NeonRules.tls(adjusted.connection(), verifyTls, client.major()),
        new RunPlan.DumpClient(client, pgDumpVersion),
        server,
        databases,
        clock.instant());
  }

  private List<String> databases(
      BackupSettings settings, PgInstallation psql, ConnectionString connection) {
    DatabaseSelection selection = settings.reach().selection();
    return selection.resolve(
        settings.databaseName(),
        selection.all()
            ? Psql.query(
                psql,
                connection,
                reporter.redactor(),
                DatabaseSelection.ALL_QUERY,
                FailureKind.DATABASE)
            : List.of());
  }

  private PgInstallation chooseClient(List<PgInstallation> installed, ServerInfo server) {
    PgClients.Choice choice = PgClients.pick(installed, server.major());
    if (choice.newer()) {
      reporter.warn(
          "no pg_dump "
              + server.major()
              + " is installed; using pg_dump "
              + choice.installation().major()
              + ". Restoring this archive needs pg_restore "
              + choice.installation().major()
              + " or newer.");
    }
    return choice.installation();
  }
}
