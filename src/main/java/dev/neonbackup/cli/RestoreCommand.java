package dev.neonbackup.cli;

import dev.neonbackup.actions.RestoreReport;
import dev.neonbackup.neon.NeonApi;
import dev.neonbackup.restore.BranchTarget;
import dev.neonbackup.restore.BranchTargetSettings;
import dev.neonbackup.restore.RestoreService;
import dev.neonbackup.restore.RestoreSettings;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.s3.S3BackupStore;
import dev.neonbackup.restore.HiddenVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = "Restore a backup from S3 into a database with pg_restore.")
public final class RestoreCommand extends Subcommand {
  @Mixin StorageOptions storage;

  @Option(
      names = "--backup-key",
      paramLabel = "KEY",
      description = "The archive's key, or 'latest' for the newest backup of --database.")
  String backupKey;

  @Option(
      names = "--database",
      paramLabel = "NAME",
      description = "With --backup-key latest: whose backup (needed when the prefix holds several databases).")
  String database;

  @Option(
      names = "--target-url",
      paramLabel = "URL",
      description = "Connection string of the database to restore into (required; a secret).")
  String targetUrl;

  @Option(
      names = "--target-branch",
      paramLabel = "NAME",
      description = "Restore into a new Neon branch of this name, made from --neon-branch (needs"
          + " --neon-api-key and --neon-project-id; never with --target-url). Kept afterwards.")
  String targetBranch;

  @Option(
      names = "--target-branch-ttl",
      paramLabel = "DURATION",
      converter = Converters.TargetBranchTtl.class,
      description = "With --target-branch: Neon deletes the branch this long after it is made"
          + " (e.g. 7d or 12h, at least 1h; default: never).")
  Duration targetBranchTtl;

  @Mixin NeonApiOptions neon;

  @Option(
      names = "--restore-options",
      paramLabel = "ARGS",
      arity = "1",
      converter = Converters.PgRestoreArguments.class,
      description = "Extra pg_restore arguments, split like a shell would (no shell runs).")
  List<String> restoreOptions;

  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--clean",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.Clean.class,
      description = "Drop the archive's objects first (pg_restore --clean --if-exists).")
  Boolean clean;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      converter = Converters.Jobs.class,
      description = "Parallel restore with N jobs (downloads to a temporary file first).")
  Integer jobs;

  @Option(
      names = "--pg-bin-dir",
      paramLabel = "DIR",
      converter = Converters.Directory.class,
      description = "Directory of the pg_restore to use (default: /usr/lib/postgresql/<major>/bin).")
  Path pgBinDir;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = "The database the backups come from (a secret): refused as the target unless --allow-source-target.")
  String databaseUrl;

  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--allow-source-target",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.AllowSourceTarget.class,
      description = "Restore into the database --database-url names (never with --clean).")
  Boolean allowSourceTarget;

  @Option(
      names = "--age-identity",
      paramLabel = "KEY",
      description =
          "For a .dump.age backup: the age private key (AGE-SECRET-KEY-1..., a secret) or the path"
              + " of an identity file.")
  String ageIdentity;

  @Mixin TlsOptions tls;

  @Option(
      names = "--version-id",
      paramLabel = "ID",
      description = "Restore this S3 version of backup-key, e.g. one a delete marker hides (see list --include-hidden).")
  String versionId;

  public RestoreCommand(RunContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return summarizingFailure("restore", this::restore);
  }

  private int restore() {
    RestoreSettings settings =
        RestoreSettings.builder()
            .backupKey(backupKey)
            .database(database)
            .targetUrl(targetUrl)
            .targetBranch(targetBranch)
            .targetBranchTtl(targetBranchTtl)
            .neon(neon.values())
            .restoreOptions(restoreOptions)
            .clean(clean)
            .jobs(jobs)
            .pgBinDir(pgBinDir)
            .databaseUrl(databaseUrl)
            .allowSourceTarget(allowSourceTarget)
            .verifyTls(tls.verifyTls)
            .ageIdentity(ageIdentity)
            .storage(() -> storage.settings(context))
            .build();
    context.console().protect(settings.secrets());
    try (BackupStore store = S3BackupStore.open(settings.storage())) {
      BackupStore version = HiddenVersion.view(store, settings.backupKey(), versionId);
      RestoreService service =
          new RestoreService(context.console(), version, PgClients.DEBIAN_ROOT, ProgressInterval.current());
      if (settings.targetBranch().isPresent()) {
        intoNewBranch(settings, version, service);
      } else {
        RestoreService.Restored restored = service.restore(settings);
        context.console().result(restored.location().url());
        RestoreReport.publish(restored, context.environment());
      }
    }
    return ExitCode.OK.status();
  }

  /** target-branch: the branch's connection string (password masked) and console page follow. */
  private void intoNewBranch(RestoreSettings settings, BackupStore store, RestoreService service) {
    BranchTargetSettings branch = settings.targetBranch().orElseThrow();
    NeonApi api = new NeonApi(branch.apiUrl(), branch.apiKey());
    BranchTarget.Result result =
        new BranchTarget(context.console(), store, api, service, context.console()::protectAlso)
            .restore(settings);
    context.console().result(result.restored().location().url());
    context.console().result(result.branch().connection());
    context.console().result(result.branch().consoleUrl());
    RestoreReport.publish(result, context.environment());
  }
}
