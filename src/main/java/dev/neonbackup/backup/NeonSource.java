package dev.neonbackup.backup;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.neon.Branch;
import dev.neonbackup.neon.BranchDatabases;
import dev.neonbackup.neon.Database;
import dev.neonbackup.neon.NeonApi;
import dev.neonbackup.neon.NeonInputs;
import dev.neonbackup.neon.TemporaryBranch;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Secret;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Neon API as a run's source: the branch to dump (neon-branch itself, or a temporary branch of
 * it made for the run), and the connection to each database, as database-url's role when given
 * (its password wins) or else as the database's owner. Closing it deletes the temporary branch.
 */
public final class NeonSource implements AutoCloseable {
  private final Optional<TemporaryBranch> temporary;
  private final DumpSource source;

  private NeonSource(Optional<TemporaryBranch> temporary, DumpSource source) {
    this.temporary = temporary;
    this.source = source;
  }

  /**
   * Resolves the source; {@code protect} is told every password the API hands out before anything
   * could print it. A failure deletes a temporary branch made on the way.
   */
  public static NeonSource open(
      NeonApi api,
      NeonSettings neon,
      Optional<ConnectionString> databaseUrl,
      DatabaseInputs reach,
      Instant runTime,
      Reporter reporter,
      Consumer<Secret> protect,
      boolean drill) {
    Optional<TemporaryBranch> temporary = Optional.empty();
    try {
      String branchId;
      if (neon.temporaryBranch()) {
        TemporaryBranch made =
            TemporaryBranch.create(
                api,
                TemporaryBranch.Plan.of(neon.projectId(), neon.branch(), neon.snapshotTimestamp(), runTime),
                reporter);
        temporary = Optional.of(made);
        branchId = made.branch().id();
        reporter.info("dumping the " + dev.neonbackup.catalog.ManifestSource.describe(made.source()));
      } else {
        Branch branch =
            neon.branch()
                .map(given -> api.findBranch(neon.projectId(), given))
                .orElseGet(() -> api.defaultBranch(neon.projectId()));
        branchId = branch.id();
        reporter.info("dumping branch " + branch.describe() + " of project " + neon.projectId());
      }
      Connections connections = new Connections(api, neon.projectId(), branchId, reach, protect);
      DumpSource resolved =
          databaseUrl.isPresent()
              ? connections.asGiven(databaseUrl.get())
              : connections.asOwners(reach.selection());
      List<ConnectionString> guards =
          drill && temporary.isPresent()
              ? connections.guards(temporary.get().parent().id(), resolved, databaseUrl)
              : List.of();
      return new NeonSource(temporary, resolved.from(temporary.map(TemporaryBranch::source), guards));
    } catch (RuntimeException e) {
      temporary.ifPresent(TemporaryBranch::close);
      throw e;
    }
  }

  public DumpSource source() {
    return source;
  }

  @Override
  public void close() {
    temporary.ifPresent(TemporaryBranch::close);
  }

  /** The connections to one branch's databases. */
  private record Connections(
      NeonApi api, String projectId, String branchId, DatabaseInputs reach, Consumer<Secret> protect) {

    /**
     * database-url's database and role on the branch's endpoint; its password wins. With a
     * password, the host is the branch's read-write endpoint's: the role may be one made with SQL,
     * whose password Neon does not keep and so cannot put in a connection URI.
     */
    DumpSource asGiven(ConnectionString given) {
      String database = given.database().orElseThrow();
      String role = given.parameter("user").orElseThrow(); // NeonSettings.checkWith made sure
      if (given.password().isPresent()) {
        String host =
            api.endpoints(projectId, branchId).stream()
                .filter(endpoint -> endpoint.type().equals("read_write"))
                .map(dev.neonbackup.neon.Endpoint::host)
                .findFirst()
                .orElseThrow(() -> new dev.neonbackup.failure.FailureException(
                    dev.neonbackup.failure.FailureKind.NEON_API,
                    "the Neon API lists no read_write endpoint of branch " + branchId + " to dump"));
        return DumpSource.of(guarded(given.withParameter("host", host)));
      }
      ConnectionString onBranch = api.connectionString(projectId, branchId, database, role);
      // database-url as given (its parameters), pointed at the branch's endpoint, with Neon's password.
      ConnectionString connection =
          given
              .withParameter("host", onBranch.parameter("host").orElseThrow())
              .withParameter("port", onBranch.parameter("port").orElse("5432"));
      connection = onBranch.password().map(connection::withPassword).orElse(connection);
      return DumpSource.of(guarded(connection));
    }

    /**
     * What the restore drill must never empty when it runs on a copy: database-url as given, and
     * the first database on the parent branch, as dumped (the drill checks one database).
     */
    List<ConnectionString> guards(String parentId, DumpSource dumped, Optional<ConnectionString> databaseUrl) {
      List<ConnectionString> guards = new java.util.ArrayList<>();
      databaseUrl.ifPresent(url -> guards.add(guarded(url)));
      ConnectionString onBranch = dumped.connection();
      String database = onBranch.database().orElseThrow();
      String role = onBranch.parameter("user").orElseThrow();
      ConnectionString onParent = api.connectionString(projectId, parentId, database, role);
      guards.add(guarded(onBranch.password().map(onParent::withPassword).orElse(onParent)));
      return guards;
    }

    /** Each chosen database as its owner, with the password the API gives for that role. */
    DumpSource asOwners(DatabaseSelection selection) {
      List<Database> databases = BranchDatabases.of(api, projectId, branchId);
      Map<String, String> owners = new LinkedHashMap<>();
      databases.forEach(d -> owners.put(d.name(), d.ownerName()));
      List<String> chosen = selection.resolve(defaultDatabase(selection, owners), List.copyOf(owners.keySet()));
      Map<String, ConnectionString> perDatabase = new LinkedHashMap<>();
      for (String database : chosen) {
        String owner = owners.get(database);
        if (owner == null) {
          throw new InputException(
              DatabaseSelection.INPUT + " names '" + database + "', which branch " + branchId
                  + " does not have (it has " + String.join(", ", owners.keySet()) + ")");
        }
        perDatabase.put(
            database, guarded(api.connectionStringWithPassword(projectId, branchId, database, owner)));
      }
      return new DumpSource(
          perDatabase.get(chosen.get(0)), Optional.of(chosen), perDatabase, Optional.empty(), List.of());
    }

    /** Without databases or a database-url, the branch's only database; several need a choice. */
    private String defaultDatabase(DatabaseSelection selection, Map<String, String> owners) {
      if (owners.isEmpty()) {
        throw new InputException("branch " + branchId + " has no database of its own to back up");
      }
      if (!selection.isDefault() || owners.size() == 1) {
        return owners.keySet().iterator().next();
      }
      throw new InputException(
          "branch " + branchId + " has several databases (" + String.join(", ", owners.keySet())
              + "): set " + DatabaseSelection.INPUT + " to all, or name those to back up");
    }

    private ConnectionString guarded(ConnectionString connection) {
      connection.secrets().forEach(protect);
      return connection.withVerifyTls(reach.verifyTls());
    }
  }
}
