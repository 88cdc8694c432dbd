package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Test-side use of the real client programs and of the data in a database. */
public final class PgTools {
  private PgTools() {}

  /** The newest client bin directory installed on this machine. */
  public static Path clientBinDir() {
    Path root = Path.of("/usr/lib/postgresql");
    try (var majors = Files.list(root)) {
      return majors
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Files.isExecutable(p.resolve("bin/pg_restore")))
          .max((a, b) -> Integer.compare(major(a), major(b)))
          .map(p -> p.resolve("bin"))
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL client under " + root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int major(Path dir) {
    return Integer.parseInt(dir.getFileName().toString());
  }

  /** pg_restore {@code archive} into {@code database}; the password travels in PGPASSWORD. */
  public static void restore(PostgresServer server, String database, Path archive) {
    run(
        server,
        List.of(
            clientBinDir().resolve("pg_restore").toString(),
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--host=" + server.host(),
            "--port=" + server.port(),
            "--username=" + server.superuser(),
            "--dbname=" + database,
            archive.toString()));
  }

  /** The table of contents pg_restore reads from an archive. */
  public static String list(Path archive) {
    return run(null, List.of(clientBinDir().resolve("pg_restore").toString(), "--list", archive.toString()));
  }

  private static String run(PostgresServer server, List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (server != null) {
        builder.environment().put("PGPASSWORD", server.password());
      }
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError(command.get(0) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * For every user table, an order-independent fingerprint of all its rows: the md5 of the sorted
   * text forms of the rows, and the row count.
   */
  public static Map<String, String> tableFingerprints(PostgresServer server, String database) {
    Map<String, String> fingerprints = new TreeMap<>();
    try (Connection connection = server.connect(database);
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables"
                  + " WHERE table_type = 'BASE TABLE'"
                  + " AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '')"
                    + " FROM "
                    + table
                    + " t")) {
          rows.next();
          fingerprints.put(table, rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("could not read tables of " + database, e);
    }
    return fingerprints;
  }

  public static String queryString(PostgresServer server, String database, String sql) {
    try (Connection connection = server.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new AssertionError("query failed on " + database + ": " + sql, e);
    }
  }
}
