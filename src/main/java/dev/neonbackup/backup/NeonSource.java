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
      Consumer<Secret> protect) {
    Optional<TemporaryBranch> temporary = Optional.empty();
    try {
      String branchId;
      if (neon.temporaryBranch()) {
        TemporaryBranch made =
            TemporaryBranch.create(
                api,
                new TemporaryBranch.Plan(neon.projectId(), neon.branch(), neon.snapshotTimestamp(), runTime),
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
      return new NeonSource(
          temporary,
          new DumpSource(
              resolved.connection(),
              resolved.databases(),
              resolved.perDatabase(),
              temporary.map(TemporaryBranch::source)));
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

    /** database-url's database and role on the branch's endpoint; its password wins. */
    DumpSource asGiven(ConnectionString given) {
      String database = given.database().orElseThrow();
      String role =
          given.parameter("user")
              .orElseThrow(
                  () ->
                      new InputException(
                          BackupSettings.DATABASE_URL + " names no role: with " + NeonInputs.API_KEY
                              + ", give the role too (postgresql://role:password@host/db), or leave "
                              + BackupSettings.DATABASE_URL + " out to use each database's owner"));
      ConnectionString onBranch = api.connectionString(projectId, branchId, database, role);
      ConnectionString connection = given.password().map(onBranch::withPassword).orElse(onBranch);
      return DumpSource.of(guarded(connection));
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
        perDatabase.put(database, guarded(withPassword(api.connectionString(projectId, branchId, database, owner), owner)));
      }
      return new DumpSource(perDatabase.get(chosen.get(0)), Optional.of(chosen), perDatabase, Optional.empty());
    }

    private ConnectionString withPassword(ConnectionString uri, String role) {
      if (uri.password().filter(p -> !p.isEmpty()).isPresent()) {
        return uri;
      }
      return uri.withPassword(api.revealPassword(projectId, branchId, role));
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
