package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.report.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Asks the server its version over the same connection pg_dump will use ({@code psql} with the
 * same service file), before anything is uploaded: a wrong password or an unreachable host fails
 * here, in seconds, with libpq's own reason.
 */
public final class ServerProbe {
  private ServerProbe() {}

  /** Pauses between attempts; tests pass one that does not really sleep. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public static final Sleeper SLEEP = duration -> Thread.sleep(duration.toMillis());

  /** One attempt, no retries. */
  public static ServerInfo probe(
      PgInstallation client, ConnectionString connection, Redactor redactor) {
    return probe(client, connection, redactor, 0, message -> {}, SLEEP);
  }

  /**
   * Asks the server its version, retrying connection failures that another attempt may fix (a
   * compute that is starting) up to {@code retries} times, never an authentication failure.
   */
  public static ServerInfo probe(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      int retries,
      Consumer<String> onRetry,
      Sleeper sleeper) {
    for (int retry = 1; ; retry++) {
      Attempt attempt = attempt(client, connection, redactor);
      if (attempt.info() != null) {
        return attempt.info();
      }
      FailureException failure = connectionFailure(connection, attempt.stderrTail());
      if (retry > retries || ConnectRetry.isPermanent(attempt.stderrTail())) {
        throw failure;
      }
      Duration delay = ConnectRetry.delayBefore(retry);
      onRetry.accept(
          failure.getMessage()
              + "; retrying in "
              + delay.toSeconds()
              + " s (retry "
              + retry
              + " of "
              + retries
              + ")");
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure;
      }
    }
  }

  private record Attempt(ServerInfo info, String stderrTail) {}

  private static Attempt attempt(
      PgInstallation client, ConnectionString connection, Redactor redactor) {
    Psql.Result result =
        Psql.run(
            client,
            connection,
            redactor,
            List.of("SHOW server_version_num", "SHOW server_version"),
            FailureKind.DATABASE);
    if (result.status() != 0) {
      return new Attempt(null, result.stderrTail());
    }
    String[] lines = result.output().strip().split("\\R");
    if (lines.length < 2 || !lines[0].strip().matches("\\d+")) {
      throw new FailureException(
          FailureKind.DATABASE,
          "the server did not report its version (got: "
              + redactor.redact(result.output().strip())
              + ")");
    }
    return new Attempt(new ServerInfo(Integer.parseInt(lines[0].strip()), lines[1].strip()), null);
  }

  static FailureException connectionFailure(ConnectionString connection, String stderrTail) {
    String where =
        connection.parameter("host").orElse("the default socket")
            + connection.parameter("port").map(p -> ":" + p).orElse("");
    String database = connection.database().orElse("(default)");
    String reason = stderrTail.replaceFirst("^psql: error: ", "");
    String lower = reason.toLowerCase(Locale.ROOT);
    boolean authentication =
        lower.contains("password authentication failed")
            || lower.contains("authentication failed")
            || lower.contains("no password supplied");
    if (lower.contains("certificate verify failed")
        || lower.contains("does not match host name")
        || lower.contains("root certificate file")) {
      return new FailureException(
          FailureKind.DATABASE,
          "could not verify the TLS certificate of " + where + " (verify-tls is true): " + reason
              + "; install the CA that signed it, name it with sslrootcert in "
              + connection.inputName() + ", or set verify-tls: false to skip the check");
    }
    String summary =
        authentication
            ? "the database rejected the credentials for user '"
                + connection.parameter("user").orElse("(default)")
                + "' on "
                + where
            : "could not connect to database '" + database + "' on " + where;
    return new FailureException(FailureKind.DATABASE, summary + ": " + reason);
  }
}
