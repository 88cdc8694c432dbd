package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.report.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Queries through psql, over a service file, unaligned and without a psqlrc. */
public final class Psql {
  /** Seconds libpq waits for a connection when the connection string does not say. */
  public static final String DEFAULT_CONNECT_TIMEOUT = "10";

  /**
   * Put in front of every command, in the same query string (one transaction, even through a
   * pooler): the catalog's names are the catalog's, whatever search_path the connection string's
   * {@code options}, the role or the database set. A schema of the user's own earlier in the path
   * could otherwise hold a {@code pg_namespace} table or a {@code format} function that answers
   * for the catalog, and the same-database check would see no marker in the very database it
   * made it in. {@code --quiet} keeps the SET's own tag out of the output.
   */
  static final String CATALOG_FIRST = "SET search_path = pg_catalog, pg_temp; ";

  private Psql() {}

  /** How one psql run ended: its status, its stdout, and its last words on stderr. */
  record Result(int status, String output, String stderrTail) {}

  /** Runs {@code sql}; on failure throws with {@code failureKind} and psql's last words. */
  public static List<String> query(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      String sql,
      FailureKind failureKind) {
    Result result = run(client, connection, redactor, List.of(sql), failureKind);
    if (result.status() != 0) {
      throw new FailureException(
          failureKind, "a query on " + connection.redacted() + " failed: " + result.stderrTail());
    }
    return Arrays.stream(result.output().split("\\R")).filter(line -> !line.isEmpty()).toList();
  }

  /**
   * Runs one statement that PostgreSQL runs only outside a transaction block ({@code CREATE
   * DATABASE}): alone in its query string, so in a session whose search_path is first set by a
   * command of its own.
   */
  public static void alone(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      String statement,
      FailureKind failureKind) {
    Result result =
        start(client, connection, redactor, List.of(CATALOG_FIRST, statement), failureKind);
    if (result.status() != 0) {
      throw new FailureException(
          failureKind, "a statement on " + connection.redacted() + " failed: " + result.stderrTail());
    }
  }

  /** Runs each of {@code commands} in one session; {@code failureKind} if psql cannot run. */
  static Result run(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      List<String> commands,
      FailureKind failureKind) {
    return start(
        client, connection, redactor, commands.stream().map(sql -> CATALOG_FIRST + sql).toList(),
        failureKind);
  }

  private static Result start(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      List<String> commands,
      FailureKind failureKind) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--no-psqlrc", "--no-align", "--tuples-only", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1"));
    commands.forEach(sql -> arguments.add("--command=" + sql));
    ConnectionString withTimeout =
        connection.parameter("connect_timeout").isPresent()
            ? connection
            : connection.withParameter("connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    ServiceFile serviceFile = ServiceFile.write(withTimeout, client.major());
    try (ClientProcess psql =
        ClientProcess.start(client, "psql", arguments, serviceFile, redactor, line -> {})) {
      psql.stdin().close();
      String output = new String(psql.stdout().readAllBytes(), StandardCharsets.UTF_8);
      int status = psql.waitFor();
      return new Result(status, output, psql.stderrTail());
    } catch (IOException e) {
      throw new FailureException(failureKind, "could not run psql: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(failureKind, "interrupted while running psql", e);
    }
  }
}
