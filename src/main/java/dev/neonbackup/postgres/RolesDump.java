package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.report.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cluster's roles, as SQL: {@code pg_dumpall --roles-only --no-role-passwords} (Neon lets
 * nobody read role passwords), without Neon's own system roles.
 */
public final class RolesDump {
  private RolesDump() {}

  public static String dump(
      PgInstallation client,
      ConnectionString connection,
      Redactor redactor,
      Consumer<String> stderr) {
    ServiceFile serviceFile = ServiceFile.write(connection, client.major());
    try (ClientProcess pgDumpall =
        ClientProcess.start(
            client,
            "pg_dumpall",
            List.of("--roles-only", "--no-role-passwords", "--no-password"),
            serviceFile,
            redactor,
            stderr)) {
      pgDumpall.stdin().close();
      String script = new String(pgDumpall.stdout().readAllBytes(), StandardCharsets.UTF_8);
      int status = pgDumpall.waitFor();
      if (status != 0) {
        throw new FailureException(
            FailureKind.DUMP,
            "pg_dumpall --roles-only " + ClientProcess.describeExit(status) + ": " + pgDumpall.stderrTail());
      }
      return NeonRules.withoutSystemRoles(script);
    } catch (IOException e) {
      throw new FailureException(FailureKind.DUMP, "could not run pg_dumpall: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted", e);
    }
  }
}
