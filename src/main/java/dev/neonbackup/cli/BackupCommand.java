package dev.neonbackup.cli;

import dev.neonbackup.failure.FailureKind;

import dev.neonbackup.failure.FailureException;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.BackupService;
import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.restore.RestoreSettings;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.s3.S3BackupStore;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.restore.RestoreDrill;
import dev.neonbackup.backup.BackupSettings;
import dev.neonbackup.backup.DumpSource;
import dev.neonbackup.backup.NeonSettings;
import dev.neonbackup.backup.NeonSource;
import dev.neonbackup.neon.NeonApi;
import dev.neonbackup.actions.BackupReport;
import dev.neonbackup.actions.BackupTrend;
import dev.neonbackup.actions.RestoreDrills;
import dev.neonbackup.check.CheckLimits;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.Compression;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgDumpClient;
import dev.neonbackup.notify.RunNotifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = "Dump a database with pg_dump -Fc and stream the archive into S3.")
public final class BackupCommand extends Subcommand {

  @Mixin StorageOptions storage;
  @Mixin ProtectionOptions protection;
  @Mixin RetentionOptions retention;
  @Mixin DatabaseOptions databases;
  @Mixin NotifyOptions notify;
  @Mixin NeonOptions neon;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = "Connection string of the database (required; keep it in a secret).")
  String databaseUrl;

  @Option(
      names = "--compression",
      paramLabel = "LEVEL",
      converter = Converters.CompressionLevel.class,
      description =
          "pg_dump --compress: auto (default: zstd:1 for pg_dump 16+, else 1), 0-9, or"
              + " gzip|lz4|zstd|none[:LEVEL] with pg_dump 16+.")
  Compression compression;

  @Option(
      names = "--pg-dump-client",
      paramLabel = "RULE",
      converter = Converters.PgDumpClientRule.class,
      description =
          "match (default): the server's major, else the lowest newer one; newest: the newest"
              + " installed (its archive needs that pg_restore or newer). pg-bin-dir wins.")
  PgDumpClient pgDumpClient;

  @Option(
      names = "--pg-dump-options",
      paramLabel = "ARGS",
      arity = "1",
      converter = Converters.PgDumpArguments.class,
      description = "Extra pg_dump arguments, split like a shell would (no shell runs).")
  List<String> pgDumpOptions;

  @Option(
      names = "--pg-bin-dir",
      paramLabel = "DIR",
      converter = Converters.Directory.class,
      description = "Directory of the pg_dump to use (default: /usr/lib/postgresql/<major>/bin).")
  Path pgBinDir;

  @Option(
      names = "--verify",
      paramLabel = "MODE",
      converter = Converters.Verify.class,
      description = "full (default): pg_restore reads the whole archive as it streams; toc: its table of contents only; none.")
  ArchiveVerifier.Mode verify;

  @Option(
      names = "--restore-check-url",
      paramLabel = "URL",
      description = "After the backup, restore it into this scratch database and compare row counts (a secret).")
  String restoreCheckUrl;

  // type = String: see StorageOptions.forcePathStyle.
  @Option(
      names = "--restore-check-branch",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.RestoreCheckBranch.class,
      description =
          "With --snapshot branch: after the backup, restore it into a new database of the"
              + " temporary branch and compare every table with the snapshot, rows and checksums.")
  Boolean restoreCheckBranch;

  @Option(
      names = "--age-recipients",
      paramLabel = "KEYS",
      description =
          "Encrypt each archive to these age public keys (age1..., separated by commas, spaces or"
              + " newlines), or to those in the file at this path; the key then ends in .dump.age.")
  String ageRecipients;

  @Option(
      names = "--age-identity",
      paramLabel = "KEY",
      description =
          "For the restore drill of an encrypted backup only: the private key of one recipient"
              + " (AGE-SECRET-KEY-1..., a secret) or the path of an identity file.")
  String ageIdentity;

  @Option(
      names = "--max-shrink",
      paramLabel = "PERCENT",
      converter = Converters.MaxShrink.class,
      description =
          "Warn when a backup is more than this many percent smaller than the one before it, 0-100"
              + " (default 50); the backup still succeeds.")
  Integer maxShrink;

  public BackupCommand(RunContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return summarizingFailure("backup", this::run);
  }

  private int run() {
    BackupSettings settings =
        BackupSettings.builder()
            .databaseUrl(databaseUrl)
            .storage(() -> storage.settings(context, protection.serverSide()))
            .compression(compression)
            .pgDumpOptions(pgDumpOptions)
            .pgBinDir(pgBinDir)
            .pgDumpClient(pgDumpClient)
            .verify(verify)
            .retention(retention.inputs())
            .restoreCheckUrl(restoreCheckUrl)
            .restoreCheckBranch(restoreCheckBranch)
            .ageRecipients(ageRecipients)
            .ageIdentity(ageIdentity)
            .reach(databases::inputs)
            .neon(() -> neon.settings(context))
            .build();
    context.console().protect(settings.secrets());
    RunNotifier notifier = notify.notifier(context);
    notifier.started();
    try {
      notifier.succeeded(backUp(settings, notifier));
    } catch (RuntimeException e) {
      // Told before the error handler prints the line and exits with the backup's own status.
      notifier.failed(Cli.errorLine(e), Cli.exitCode(e).status());
      throw e;
    }
    return ExitCode.OK.status();
  }

  private RunOutcome backUp(BackupSettings settings, RunNotifier notifier) {
    try (BackupStore store = S3BackupStore.open(settings.storage());
        NeonSource neonSource = openNeon(settings)) {
      DumpSource source =
          neonSource == null ? DumpSource.of(settings.databaseUrl().orElseThrow()) : neonSource.source();
      BackupService service =
          new BackupService(
              context.console(),
              context.clock(),
              store,
              PgClients.DEBIAN_ROOT,
              ProgressInterval.current(),
              Version.current());
      RunOutcome outcome = service.runAll(settings, source);
      notifier.ran(outcome);
      CheckLimits limits = CheckLimits.of(null, maxShrink);
      outcome.results().forEach(
          result -> BackupTrend.shrinkWarning(result, limits).ifPresent(w -> context.console().warn("Backup shrank", w)));
      if (!outcome.results().isEmpty() || outcome.roles().isPresent()) {
        BackupReport.publish(outcome, limits, context.environment(), context.console().redactor());
        summarized();
      }
      outcome.results().forEach(result -> context.console().result(result.location().url()));
      if (!outcome.failures().isEmpty()) {
        throw RunFailures.summarize(outcome);
      }
      if (settings.restoreCheck().isPresent() || settings.restoreCheckBranch()) {
        RestoreDrills.run(
            context.console(), settings, source, store, outcome.results(), context.environment());
      }
      return outcome;
    }
  }

  /**
   * The Neon API as the source, when its inputs are given and it has something to do: a temporary
   * branch, or the databases of a branch without database-url. Null otherwise.
   */
  private NeonSource openNeon(BackupSettings settings) {
    if (settings.neon().isEmpty()
        || (settings.databaseUrl().isPresent() && !settings.neon().get().temporaryBranch())) {
      return null;
    }
    NeonSettings given = settings.neon().get();
    return NeonSource.open(
        new NeonApi(given.apiUrl(), given.apiKey()),
        given,
        settings.databaseUrl(),
        settings.reach(),
        context.clock().instant(),
        context.console(),
        context.console()::protectAlso,
        settings.restoreCheck().isPresent());
  }
}
