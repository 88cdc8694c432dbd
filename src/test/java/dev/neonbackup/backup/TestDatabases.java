package dev.neonbackup.backup;

import dev.neonbackup.testing.PostgresServer;

/** Databases for the in-process backup runs: fresh ones on a server, with rows to dump. */
final class TestDatabases {
  private TestDatabases() {}

  /** A new database named after {@code prefix}, holding a table {@code t} of {@code rows} rows. */
  static String withRows(PostgresServer postgres, String prefix, int rows) {
    String database = postgres.uniqueDatabaseName(prefix);
    postgres.createDatabase(database);
    postgres.execute(
        database,
        "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, "
            + rows
            + ") g");
    return database;
  }
}
