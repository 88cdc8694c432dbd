package dev.neonbackup.cli;

import dev.neonbackup.backup.DatabaseInputs;
import picocli.CommandLine.Option;

/** Which databases one backup run covers, and how it reaches them. */
public final class DatabaseOptions {
  @Option(
      names = "--allow-pooled",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Keep a Neon -pooler host instead of switching to the direct one.")
  String allowPooled;

  @Option(
      names = "--connect-retries",
      paramLabel = "N",
      description = "Retries while the server is unreachable (a compute starting), 2-30 s apart; default 5.")
  String connectRetries;

  @Option(
      names = "--databases",
      paramLabel = "LIST",
      description = "Empty: the one in database-url; 'all': every database that allows connections; or a comma-separated list.")
  String databases;

  @Option(
      names = "--exclude-databases",
      paramLabel = "LIST",
      description = "Comma-separated databases to leave out.")
  String excludeDatabases;

  @Option(
      names = "--parallel-databases",
      paramLabel = "N",
      description = "How many databases to dump at once (default 1).")
  String parallelDatabases;

  @Option(
      names = "--include-roles",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Also store the roles (pg_dumpall --roles-only --no-role-passwords).")
  String includeRoles;

  DatabaseInputs inputs() {
    return new DatabaseInputs(
        allowPooled, connectRetries, databases, excludeDatabases, parallelDatabases, includeRoles);
  }
}
