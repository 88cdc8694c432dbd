package dev.neonbackup.backup;

import dev.neonbackup.neon.SnapshotSource;
import dev.neonbackup.postgres.ConnectionString;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run's dumps read from, once resolved: the connection the server is asked through (its
 * database is the one backed up when the selection names none), and, when the Neon API named the
 * databases, those chosen with a connection each (as the database's owner), and the temporary
 * branch the run dumps. {@code guarded}: what the restore drill must never empty besides what is
 * dumped, since a temporary branch is only a copy of it (the parent branch, database-url).
 */
public record DumpSource(
    ConnectionString connection,
    Optional<List<String>> databases,
    Map<String, ConnectionString> perDatabase,
    Optional<SnapshotSource> snapshot,
    List<ConnectionString> guarded) {

  public DumpSource {
    databases = databases.map(List::copyOf);
    perDatabase = Map.copyOf(perDatabase);
    guarded = List.copyOf(guarded);
  }

  /** A connection string as given: its server says which databases there are. */
  public static DumpSource of(ConnectionString connection) {
    return new DumpSource(connection, Optional.empty(), Map.of(), Optional.empty(), List.of());
  }

  /** The same source, with the temporary branch it dumps and what the drill must not touch. */
  DumpSource from(Optional<SnapshotSource> branch, List<ConnectionString> guards) {
    return new DumpSource(connection, databases, perDatabase, branch, guards);
  }

  /** The database backed up when the selection names none. */
  String defaultDatabase() {
    return connection.database().orElseThrow();
  }

  /** How {@code database} is dumped: as its owner when the API named it, else like the probe. */
  ConnectionString connectionFor(String database, ConnectionString probed) {
    ConnectionString own = perDatabase.get(database);
    return own != null ? own : probed.withDatabase(database);
  }

  /** The connection to {@code database} as given (no Neon rules applied yet). */
  public ConnectionString connectionOf(String database) {
    return connectionFor(database, connection);
  }
}
