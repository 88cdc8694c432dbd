package dev.neonbackup.backup;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.Compression;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.postgres.NeonRules;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgDumpClient;
import dev.neonbackup.postgres.PgDumpOptions;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.postgres.Psql;
import dev.neonbackup.postgres.SameDatabaseCheck;
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

  RunPlan prepare(BackupSettings settings, DumpSource source) {
    NeonRules.Adjusted adjusted =
        NeonRules.apply(source.connection(), settings.reach().allowPooled());
    adjusted.warnings().forEach(reporter::warn);
    adjusted.notes().forEach(reporter::info);
    List<PgInstallation> installed = PgClients.discover(settings.pgBinDir(), clientRoot);
    if (installed.isEmpty()) {
      throw new FailureException(
          FailureKind.DATABASE,
          "no pg_dump found under "
              + clientRoot
              + "/*/bin: install postgresql-client-NN, or set pg-bin-dir");
    }
    PgInstallation newest = installed.get(installed.size() - 1);
    // Each client gets Neon's TLS rule for its own libpq when it is handed the connection
    // (ServiceFile.write); the log shows what the probe's client is given.
    ConnectionString connection = adjusted.connection();
    reporter.info(
        "connecting to "
            + NeonRules.tls(connection, connection.verifyTls(), newest.major()).redacted());
    ServerInfo server =
        ServerProbe.probe(
            newest,
            connection,
            reporter.redactor(),
            settings.reach().connectRetries(),
            reporter::warn,
            ServerProbe.SLEEP);
    PgInstallation client = chooseClient(installed, server, settings.pgDumpClient());
    String pgDumpVersion =
        PgClients.versionOf(client.tool("pg_dump")).orElse(String.valueOf(client.major()));
    Compression compression = compressionFor(settings.compression(), client.major());
    PgDumpOptions.checkSupportedBy(settings.pgDumpOptions(), client.major());
    List<String> databases = databases(settings, source, newest, connection);
    if (databases.size() > 1) {
      reporter.info(
          "backing up "
              + databases.size()
              + " databases: "
              + String.join(", ", databases.stream().map(DatabaseSelection::shown).toList()));
    }
    checkDrill(settings, source, newest, source.connectionFor(databases.get(0), connection));
    return new RunPlan(
        settings.withCompression(compression),
        source,
        connection,
        new RunPlan.DumpClient(client, pgDumpVersion),
        server,
        databases,
        clock.instant());
  }

  /** The databases the run covers: as the Neon API resolved them, or as the server lists them. */
  private List<String> databases(
      BackupSettings settings, DumpSource source, PgInstallation psql, ConnectionString connection) {
    if (source.databases().isPresent()) {
      return source.databases().get();
    }
    DatabaseSelection selection = settings.reach().selection();
    return selection.resolve(
        source.defaultDatabase(),
        selection.all()
            ? DatabaseSelection.namesFromHex(
                Psql.query(
                    psql,
                    connection,
                    reporter.redactor(),
                    DatabaseSelection.ALL_QUERY,
                    FailureKind.DATABASE))
            : List.of());
  }

  /**
   * The restore drill empties its database first: before anything is dumped, the servers are asked
   * whether it is the database being backed up (see {@link SameDatabaseCheck}).
   */
  private void refuseDrillIntoSource(
      PgInstallation psql, ConnectionString source, ConnectionString scratch) {
    boolean same =
        new SameDatabaseCheck(psql, reporter.redactor(), reporter::warn)
            .same(source, FailureKind.DATABASE, scratch, FailureKind.DATABASE);
    if (same) {
      throw new InputException(
          scratch.inputName()
              + " is the database that "
              + source.inputName()
              + " backs up (a marker schema made through "
              + scratch.inputName()
              + " is visible through "
              + source.inputName()
              + "); the restore drill empties its database first, so give it a scratch database"
              + " (another database, branch or server)");
    }
  }

  /** What each form of the drill needs of the servers, asked before anything is dumped. */
  private void checkDrill(
      BackupSettings settings, DumpSource source, PgInstallation psql, ConnectionString dumped) {
    settings
        .restoreCheck()
        .ifPresent(
            scratch -> {
              refuseDrillIntoSource(psql, dumped, scratch);
              for (ConnectionString guard : source.guarded()) {
                refuseDrillIntoSource(
                    psql, NeonRules.apply(guard, settings.reach().allowPooled()).connection(), scratch);
              }
            });
    if (settings.restoreCheckBranch()) {
      requireCreateDatabase(psql, dumped);
    }
  }

  /**
   * The exact drill creates a database in the temporary branch, as the role that dumps: one that
   * may not is refused before anything is dumped, rather than found out after the backup.
   */
  private void requireCreateDatabase(PgInstallation psql, ConnectionString dumping) {
    List<String> answer =
        Psql.query(
            psql,
            dumping,
            reporter.redactor(),
            "SELECT (rolcreatedb OR rolsuper)::text FROM pg_roles WHERE rolname = current_user",
            FailureKind.DATABASE);
    if (!answer.equals(List.of("true"))) {
      String role = dumping.parameter("user").map(name -> "'" + name + "'").orElse("that dumps");
      throw new InputException(
          BackupSettings.RESTORE_CHECK_BRANCH + " creates a database in the temporary branch, but"
              + " the role " + role + " may not create databases"
              + " (CREATEDB): give " + BackupSettings.DATABASE_URL + " a role that may (Neon's roles"
              + " made in the Console or the API may), or leave "
              + BackupSettings.RESTORE_CHECK_BRANCH + " out");
    }
  }

  private PgInstallation chooseClient(
      List<PgInstallation> installed, ServerInfo server, PgDumpClient rule) {
    PgClients.Choice choice = PgClients.pick(installed, server.major(), rule);
    choice.warning().ifPresent(reporter::warn);
    return choice.installation();
  }

  /** The compression handed to the chosen pg_dump; {@code auto}'s choice is logged once. */
  private Compression compressionFor(Compression given, int pgDumpMajor) {
    given.checkSupportedBy(pgDumpMajor);
    Compression resolved = given.resolveFor(pgDumpMajor);
    if (given.isAuto()) {
      reporter.info(
          Compression.INPUT + ": auto \u2192 " + resolved.value() + " (pg_dump " + pgDumpMajor + ")");
    }
    return resolved;
  }
}
