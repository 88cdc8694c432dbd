package dev.neonbackup.cli;

import dev.neonbackup.backup.DatabaseInputs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which databases one backup run covers, and how it reaches them. */
public final class DatabaseOptions {
  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--allow-pooled",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.AllowPooled.class,
      description = "Keep a Neon -pooler host instead of switching to the direct one.")
  Boolean allowPooled;

  @Mixin TlsOptions tls;

  @Option(
      names = "--connect-retries",
      paramLabel = "N",
      converter = Converters.ConnectRetries.class,
      description = "Retries while the server is unreachable (a compute starting), 2-30 s apart; default 5.")
  Integer connectRetries;

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
      converter = Converters.ParallelDatabases.class,
      description = "How many databases to dump at once (default 1).")
  Integer parallelDatabases;

  @Option(
      names = "--include-roles",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.IncludeRoles.class,
      description = "Also store the roles (pg_dumpall --roles-only --no-role-passwords).")
  Boolean includeRoles;

  /** Builds (and so validates) the database lists: the backup settings call it in their order. */
  DatabaseInputs inputs() {
    return DatabaseInputs.builder()
        .allowPooled(allowPooled)
        .connectRetries(connectRetries)
        .databases(databases)
        .excludeDatabases(excludeDatabases)
        .parallelDatabases(parallelDatabases)
        .includeRoles(includeRoles)
        .verifyTls(tls.verifyTls)
        .build();
  }
}
