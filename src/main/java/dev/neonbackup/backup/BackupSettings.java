package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.crypto.AgeIdentity;
import dev.neonbackup.crypto.AgeRecipients;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.StorageSettings;

import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.Compression;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.PgDumpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything one backup run needs, validated. {@code compression} is as given ({@code auto} unless
 * set) until the run's pg_dump is chosen; the run's plan holds it resolved ({@link
 * #withCompression}).
 */
public record BackupSettings(
    Optional<ConnectionString> databaseUrl,
    Optional<NeonSettings> neon,
    StorageSettings storage,
    Compression compression,
    List<String> pgDumpOptions,
    Optional<Path> pgBinDir,
    PgDumpClient pgDumpClient,
    ArchiveVerifier.Mode verify,
    RetentionPolicy retention,
    boolean retentionDryRun,
    Optional<ConnectionString> restoreCheck,
    boolean restoreCheckBranch,
    DatabaseInputs reach,
    Optional<AgeRecipients> encryption,
    Optional<AgeIdentity> drillIdentity) {

  public static final String DATABASE_URL = "database-url";
  public static final String RESTORE_CHECK_URL = "restore-check-url";
  public static final String RESTORE_CHECK_BRANCH = "restore-check-branch";

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The inputs of one backup, typed as the command line converted them (null: not given). {@link
   * #build} validates the rest in the order a user reads the inputs: the database first, then the
   * storage.
   */
  public static final class Builder {
    private String databaseUrl;
    private Supplier<StorageSettings> storage;
    private Compression compression;
    private List<String> pgDumpOptions;
    private Path pgBinDir;
    private PgDumpClient pgDumpClient;
    private ArchiveVerifier.Mode verify;
    private RetentionInputs retention;
    private String restoreCheckUrl;
    private Boolean restoreCheckBranch;
    private Supplier<DatabaseInputs> reach = DatabaseInputs::none;
    private String ageRecipients;
    private String ageIdentity;
    private Supplier<Optional<NeonSettings>> neon = Optional::empty;

    private Builder() {}

    /** Called by {@link #build} after database-url; empty: no Neon input given. */
    public Builder neon(Supplier<Optional<NeonSettings>> value) {
      neon = value;
      return this;
    }

    public Builder ageRecipients(String value) {
      ageRecipients = value;
      return this;
    }

    /** Only the restore drill of an encrypted backup reads it. */
    public Builder ageIdentity(String value) {
      ageIdentity = value;
      return this;
    }

    public Builder databaseUrl(String value) {
      databaseUrl = value;
      return this;
    }

    /** Called by {@link #build} once the database inputs are valid. */
    public Builder storage(Supplier<StorageSettings> value) {
      storage = value;
      return this;
    }

    public Builder compression(Compression value) {
      compression = value;
      return this;
    }

    public Builder pgDumpOptions(List<String> value) {
      pgDumpOptions = value;
      return this;
    }

    public Builder pgBinDir(Path value) {
      pgBinDir = value;
      return this;
    }

    public Builder pgDumpClient(PgDumpClient value) {
      pgDumpClient = value;
      return this;
    }

    public Builder verify(ArchiveVerifier.Mode value) {
      verify = value;
      return this;
    }

    public Builder retention(RetentionInputs value) {
      retention = value;
      return this;
    }

    public Builder restoreCheckUrl(String value) {
      restoreCheckUrl = value;
      return this;
    }

    /** The exact drill, in the temporary branch the run dumps. */
    public Builder restoreCheckBranch(Boolean value) {
      restoreCheckBranch = value;
      return this;
    }

    /** Called by {@link #build} after the connection strings are valid; unset: the defaults. */
    public Builder reach(Supplier<DatabaseInputs> value) {
      reach = value;
      return this;
    }

    public BackupSettings build() {
      DatabaseInputs validReach = reach.get();
      Optional<ConnectionString> connection = databaseUrl(validReach);
      Optional<NeonSettings> validNeon = neon.get();
      if (connection.isPresent() && validNeon.isPresent()) {
        validNeon.get().checkWith(connection.get());
      }
      if (connection.isEmpty() && validNeon.isEmpty()) {
        throw new InputException(
            DATABASE_URL + " is required (set it in the action's with: block, or pass --"
                + DATABASE_URL + "), unless neon-api-key and neon-project-id name the Neon project"
                + " to back up");
      }
      Optional<Path> binDir = Optional.ofNullable(pgBinDir);
      binDir.ifPresent(BackupSettings::requireClients);
      Optional<ConnectionString> restoreCheck =
          Inputs.optional(restoreCheckUrl)
              .map(url -> ConnectionString.parse(url, RESTORE_CHECK_URL).requireOneServer())
              .map(url -> url.withVerifyTls(validReach.verifyTls()));
      boolean inBranch = Boolean.TRUE.equals(restoreCheckBranch);
      Optional<String> drill =
          inBranch ? Optional.of(DrillInputs.inBranch(restoreCheck, validNeon, pgDumpOptions == null ? List.of() : pgDumpOptions))
              : restoreCheck.map(scratch -> RESTORE_CHECK_URL);
      drill.ifPresent(input -> DrillInputs.refuseSeveralDatabases(validReach, input));
      Optional<AgeRecipients> recipients = AgeRecipients.parse(ageRecipients);
      Optional<AgeIdentity> identity = AgeIdentity.parse(ageIdentity);
      if (drill.isPresent() && recipients.isPresent()) {
        DrillInputs.requireIdentity(recipients.get(), identity, drill.get());
      }
      StorageSettings validStorage = Objects.requireNonNull(storage, "storage").get();
      BackupKey.requireShortEnough(validStorage.prefix());
      drill.ifPresent(input -> DrillInputs.refuseFrozen(validStorage, input));
      RetentionInputs rules = Objects.requireNonNullElse(retention, RetentionInputs.none());
      return new BackupSettings(
          connection,
          validNeon,
          validStorage,
          Objects.requireNonNullElse(compression, Compression.AUTO),
          pgDumpOptions == null ? List.of() : List.copyOf(pgDumpOptions),
          binDir,
          Objects.requireNonNullElse(pgDumpClient, PgDumpClient.MATCH),
          Objects.requireNonNullElse(verify, ArchiveVerifier.Mode.FULL),
          rules.policy(),
          rules.dryRun(),
          restoreCheck,
          inBranch,
          validReach,
          recipients,
          identity);
    }

    private Optional<ConnectionString> databaseUrl(DatabaseInputs validReach) {
      if (Inputs.optional(databaseUrl).isEmpty()) {
        return Optional.empty();
      }
      ConnectionString connection =
          ConnectionString.parse(databaseUrl, DATABASE_URL).withVerifyTls(validReach.verifyTls());
      if (connection.database().isEmpty()) {
        throw new InputException(
            DATABASE_URL
                + " names no database: add it after the host, as in"
                + " postgresql://user:password@host/neondb");
      }
      return Optional.of(connection);
    }
  }

  /** The same settings with {@code compression} replaced, e.g. by {@code auto}'s resolution. */
  BackupSettings withCompression(Compression resolved) {
    return new BackupSettings(
        databaseUrl, neon, storage, resolved, pgDumpOptions, pgBinDir, pgDumpClient, verify,
        retention, retentionDryRun, restoreCheck, restoreCheckBranch, reach, encryption,
        drillIdentity);
  }

  private static void requireClients(Path dir) {
    for (String program : List.of("pg_dump", "pg_restore", "psql")) {
      if (!Files.isExecutable(dir.resolve(program))) {
        throw new InputException("pg-bin-dir '" + dir + "' holds no executable " + program);
      }
    }
  }

  /** Everything here that must never be printed. */
  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>(storage.secrets());
    databaseUrl.ifPresent(url -> secrets.addAll(url.secrets()));
    neon.ifPresent(n -> secrets.add(n.apiKey()));
    restoreCheck.map(ConnectionString::secrets).ifPresent(secrets::addAll);
    drillIdentity.map(AgeIdentity::secrets).ifPresent(secrets::addAll);
    return secrets;
  }
}
