package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.crypto.AgeIdentity;
import dev.neonbackup.crypto.AgeRecipients;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.store.ServerSide;
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
    DatabaseInputs reach,
    Optional<AgeRecipients> encryption,
    Optional<AgeIdentity> drillIdentity) {

  public static final String DATABASE_URL = "database-url";

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
              .map(url -> ConnectionString.parse(url, "restore-check-url").requireOneServer())
              .map(url -> url.withVerifyTls(validReach.verifyTls()));
      restoreCheck.ifPresent(scratch -> refuseSeveralDatabases(validReach));
      Optional<AgeRecipients> recipients = AgeRecipients.parse(ageRecipients);
      Optional<AgeIdentity> identity = AgeIdentity.parse(ageIdentity);
      if (restoreCheck.isPresent() && recipients.isPresent()) {
        requireDrillIdentity(recipients.get(), identity);
      }
      StorageSettings validStorage = Objects.requireNonNull(storage, "storage").get();
      BackupKey.requireShortEnough(validStorage.prefix());
      restoreCheck.ifPresent(scratch -> refuseFrozenDrill(validStorage));
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

  /** The drill reads the archive right after it is stored, which S3 refuses for GLACIER classes. */
  private static void refuseFrozenDrill(StorageSettings storage) {
    storage.serverSide().storageClass().filter(ServerSide::needsThaw).ifPresent(frozen -> {
      throw new InputException(
          "restore-check-url restores the archive right after the backup, but s3-storage-class "
              + frozen + " keeps it unreadable until a thaw: use GLACIER_IR (read at once),"
              + " or leave restore-check-url out");
    });
  }

  /**
   * The drill restores the stored, encrypted archive, so it needs a private key of one of the
   * recipients; without one, the run would fail only after the dump.
   */
  private static void requireDrillIdentity(AgeRecipients recipients, Optional<AgeIdentity> identity) {
    if (identity.isEmpty()) {
      throw new InputException(
          "restore-check-url restores the backup, which age-recipients encrypts: set age-identity"
              + " (the private key of one recipient) for the drill, or leave restore-check-url out");
    }
    if (identity.get().publicKeys().stream().noneMatch(recipients.publicKeys()::contains)) {
      throw new InputException(
          "age-identity (public key " + String.join(", ", identity.get().publicKeys())
              + ") is none of age-recipients: the restore drill could not decrypt the backup");
    }
  }

  /** The same settings with {@code compression} replaced, e.g. by {@code auto}'s resolution. */
  BackupSettings withCompression(Compression resolved) {
    return new BackupSettings(
        databaseUrl, neon, storage, resolved, pgDumpOptions, pgBinDir, pgDumpClient, verify,
        retention, retentionDryRun, restoreCheck, reach, encryption, drillIdentity);
  }

  private static void requireClients(Path dir) {
    for (String program : List.of("pg_dump", "pg_restore", "psql")) {
      if (!Files.isExecutable(dir.resolve(program))) {
        throw new InputException("pg-bin-dir '" + dir + "' holds no executable " + program);
      }
    }
  }

  /**
   * The restore drill checks one database. Whether its database is the one being backed up is not
   * told by the text of the two connection strings (one server has many spellings): the servers
   * are asked before the dump, see {@code RunPreparation}.
   */
  private static void refuseSeveralDatabases(DatabaseInputs reach) {
    if (reach.selection().all() || reach.selection().named().size() > 1) {
      throw new InputException(
          "restore-check-url checks one database; leave it out when databases selects several");
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
