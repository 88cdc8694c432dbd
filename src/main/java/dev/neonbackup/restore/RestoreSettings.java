package dev.neonbackup.restore;

import dev.neonbackup.crypto.AgeIdentity;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.StorageSettings;

import dev.neonbackup.postgres.ConnectionString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything one restore needs, validated. The target is {@code target-url}, or, with {@code
 * target-branch}, the new branch's database once it is made ({@link #withTarget}).
 */
public record RestoreSettings(
    StorageSettings storage,
    String backupKey,
    Optional<String> database,
    Optional<ConnectionString> into,
    List<String> restoreOptions,
    boolean clean,
    int jobs,
    Optional<Path> pgBinDir,
    Source source,
    Optional<AgeIdentity> identity,
    Optional<BranchTargetSettings> targetBranch) {

  public static final String LATEST = "latest";
  public static final String TARGET_URL = "target-url";
  public static final String DATABASE_URL = "database-url";
  public static final String ALLOW_SOURCE_TARGET = "allow-source-target";

  /**
   * The database the backups come from ({@code database-url}), when given: restore refuses it as
   * the target unless {@code allowedAsTarget}, and never cleans it.
   */
  public record Source(Optional<ConnectionString> url, boolean allowedAsTarget) {
    public static Source none() {
      return new Source(Optional.empty(), false);
    }
  }

  /** What the restore drill restores: the archive just stored, cleanly, with one job. */
  public static RestoreSettings forDrill(
      StorageSettings storage,
      String backupKey,
      String database,
      ConnectionString target,
      Optional<Path> pgBinDir,
      Optional<AgeIdentity> identity) {
    return new RestoreSettings(
        storage,
        backupKey,
        Optional.of(database),
        Optional.of(target),
        List.of(),
        true,
        1,
        pgBinDir,
        Source.none(),
        identity,
        Optional.empty());
  }

  /** The database to restore into. */
  public ConnectionString target() {
    return into.orElseThrow(() -> new IllegalStateException("the target branch is not made yet"));
  }

  /** The same restore into {@code made}, the database of the branch made for it. */
  public RestoreSettings withTarget(ConnectionString made) {
    return new RestoreSettings(
        storage, backupKey, database, Optional.of(made), restoreOptions, clean, jobs, pgBinDir,
        source, identity, targetBranch);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The inputs of one restore, typed as the command line converted them (null: not given). {@link
   * #build} checks the backup key and the target first, then the storage.
   */
  public static final class Builder {
    private String backupKey;
    private String database;
    private String targetUrl;
    private List<String> restoreOptions;
    private Boolean clean;
    private Integer jobs;
    private Path pgBinDir;
    private String databaseUrl;
    private Boolean allowSourceTarget;
    private Boolean verifyTls;
    private Supplier<StorageSettings> storage;
    private String ageIdentity;
    private String targetBranch;
    private java.time.Duration targetBranchTtl;
    private BranchTargetSettings.NeonInputValues neon = BranchTargetSettings.NeonInputValues.none();

    private Builder() {}

    /** target-branch: restore into a new Neon branch instead of target-url. */
    public Builder targetBranch(String value) {
      targetBranch = value;
      return this;
    }

    public Builder targetBranchTtl(java.time.Duration value) {
      targetBranchTtl = value;
      return this;
    }

    /** The Neon inputs that target-branch needs. */
    public Builder neon(BranchTargetSettings.NeonInputValues value) {
      neon = value;
      return this;
    }

    /** The private keys an encrypted backup needs (a secret, or the path of an identity file). */
    public Builder ageIdentity(String value) {
      ageIdentity = value;
      return this;
    }

    public Builder backupKey(String value) {
      backupKey = value;
      return this;
    }

    public Builder database(String value) {
      database = value;
      return this;
    }

    public Builder targetUrl(String value) {
      targetUrl = value;
      return this;
    }

    public Builder restoreOptions(List<String> value) {
      restoreOptions = value;
      return this;
    }

    public Builder clean(Boolean value) {
      clean = value;
      return this;
    }

    public Builder jobs(Integer value) {
      jobs = value;
      return this;
    }

    public Builder pgBinDir(Path value) {
      pgBinDir = value;
      return this;
    }

    public Builder databaseUrl(String value) {
      databaseUrl = value;
      return this;
    }

    public Builder allowSourceTarget(Boolean value) {
      allowSourceTarget = value;
      return this;
    }

    public Builder verifyTls(Boolean value) {
      verifyTls = value;
      return this;
    }

    /** Called by {@link #build} once the backup key and the target are valid. */
    public Builder storage(Supplier<StorageSettings> value) {
      storage = value;
      return this;
    }

    public RestoreSettings build() {
      String key = Inputs.required(backupKey, "backup-key");
      boolean verify = !Boolean.FALSE.equals(verifyTls);
      Optional<BranchTargetSettings> branch =
          BranchTargetSettings.of(targetBranch, targetBranchTtl, targetUrl, neon, verify);
      Optional<ConnectionString> target =
          branch.isPresent() ? Optional.empty() : Optional.of(targetUrl(verify));
      Source source =
          new Source(
              Inputs.optional(databaseUrl)
                  .map(url -> ConnectionString.parse(url, DATABASE_URL).withVerifyTls(verify)),
              Boolean.TRUE.equals(allowSourceTarget));
      Optional<AgeIdentity> identity = AgeIdentity.parse(ageIdentity);
      return new RestoreSettings(
          Objects.requireNonNull(storage, "storage").get(),
          key,
          Inputs.optional(database),
          target,
          restoreOptions == null ? List.of() : List.copyOf(restoreOptions),
          Boolean.TRUE.equals(clean),
          Objects.requireNonNullElse(jobs, 1),
          Optional.ofNullable(pgBinDir),
          source,
          identity,
          branch);
    }

    private ConnectionString targetUrl(boolean verify) {
      if (Inputs.optional(targetUrl).isEmpty()) {
        throw new InputException(
            TARGET_URL + " is required (the database to restore into), or target-branch (a new Neon"
                + " branch to restore into): set one in the action's with: block, or pass --"
                + TARGET_URL + " or --target-branch");
      }
      ConnectionString target =
          ConnectionString.parse(targetUrl, TARGET_URL).requireOneServer().withVerifyTls(verify);
      if (target.database().isEmpty()) {
        throw new InputException(
            TARGET_URL + " names no database: add it after the host, e.g. .../restored");
      }
      return target;
    }
  }

  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>(storage.secrets());
    into.ifPresent(target -> secrets.addAll(target.secrets()));
    targetBranch.ifPresent(branch -> secrets.add(branch.apiKey()));
    source.url().ifPresent(url -> secrets.addAll(url.secrets()));
    identity.ifPresent(keys -> secrets.addAll(keys.secrets()));
    return secrets;
  }
}
