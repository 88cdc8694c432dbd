package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.report.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One query through psql, over a service file, unaligned: its rows as lines. */
public final class Psql {
  private Psql() {}

  /** Runs {@code sql}; on failure throws with {@code failureCode} and psql's last words. */
  public static List<String> query(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      String sql,
      FailureKind failureCode) {
    List<String> arguments =
        List.of(
            "--no-psqlrc", "--no-align", "--tuples-only", "--no-password",
            "--set=ON_ERROR_STOP=1", "--command=" + sql);
    ConnectionString withTimeout =
        connection.parameter("connect_timeout").isPresent()
            ? connection
            : connection.withParameter("connect_timeout", ServerProbe.DEFAULT_CONNECT_TIMEOUT);
    ServiceFile serviceFile = ServiceFile.write(withTimeout);
    try (ClientProcess psql =
        ClientProcess.start(client, "psql", arguments, serviceFile, redactor, line -> {})) {
      psql.stdin().close();
      String output = new String(psql.stdout().readAllBytes(), StandardCharsets.UTF_8);
      int status = psql.waitFor();
      if (status != 0) {
        throw new FailureException(
            failureCode, "a query on " + connection.redacted() + " failed: " + psql.stderrTail());
      }
      return Arrays.stream(output.split("\\R")).filter(line -> !line.isEmpty()).toList();
    } catch (IOException e) {
      throw new FailureException(failureCode, "could not run psql: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    }
  }
}
