package dev.neonbackup.restore;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.neon.Branch;
import dev.neonbackup.neon.BranchDatabases;
import dev.neonbackup.neon.Database;
import dev.neonbackup.neon.FreshDatabase;
import dev.neonbackup.neon.NeonApi;
import dev.neonbackup.neon.NeonInputs;
import dev.neonbackup.neon.TemporaryBranch;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Secret;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A restore into a new Neon branch ({@code target-branch}): the archive is found first, the name
 * is checked to be free, then the branch is made from {@code neon-branch}, the archive's database
 * is dropped and made again, empty, in it (the branch is a copy: its parent is never touched), and
 * the archive is restored there. The branch is kept on success; on any failure it is deleted (on a
 * signal, through the shutdown path), so a failed restore leaves nothing behind.
 */
public final class BranchTarget {
  /** The branch a restore made and kept, for the outputs and the summary. */
  public record Made(
      String name,
      String id,
      String parentName,
      String consoleUrl,
      String connection,
      Optional<Instant> expiresAt) {}

  /** What was restored, and into which branch. */
  public record Result(RestoreService.Restored restored, Made branch) {}

  private final Reporter reporter;
  private final BackupStore store;
  private final NeonApi api;
  private final RestoreService service;
  private final Consumer<Secret> protect;

  /** {@code protect} is told the branch's password before anything could print it. */
  public BranchTarget(
      Reporter reporter,
      BackupStore store,
      NeonApi api,
      RestoreService service,
      Consumer<Secret> protect) {
    this.reporter = reporter;
    this.store = store;
    this.api = api;
    this.service = service;
    this.protect = protect;
  }

  public Result restore(RestoreSettings settings) {
    long started = System.nanoTime();
    BranchTargetSettings target = settings.targetBranch().orElseThrow();
    BackupToRestore backup = BackupToRestore.find(store, reporter, settings);
    String database = databaseOf(settings, backup);
    refuseExisting(target);
    Branch parent = TemporaryBranch.parentOf(api, target.projectId(), target.parent());
    String owner = ownerOf(target, parent, database);
    TemporaryBranch branch =
        TemporaryBranch.createNamed(
            api, target.projectId(), parent, target.name(), target.ttl(), reporter);
    try {
      FreshDatabase.recreate(api, target.projectId(), branch.branch(), database, owner, reporter);
      ConnectionString url =
          branch.connectionString(database, owner, Optional.empty()).withVerifyTls(target.verifyTls());
      url.secrets().forEach(protect);
      RestoreService.Restored restored =
          service.restore(settings.withTarget(url), backup, started);
      branch.keep();
      Made made =
          new Made(
              branch.branch().name(),
              branch.branch().id(),
              parent.name(),
              NeonInputs.consoleUrl(target.apiUrl(), target.projectId(), branch.branch().id()),
              url.redacted(),
              branch.expiresAt());
      return new Result(restored, made);
    } catch (RuntimeException e) {
      throw deleted(branch, e);
    }
  }

  /** Deletes the branch after a failure and says so in the error line (a signal's path does it). */
  private static RuntimeException deleted(TemporaryBranch branch, RuntimeException failure) {
    if (ShutdownPath.process().cancelling() || !(failure instanceof FailureException known)) {
      branch.close();
      return failure;
    }
    String what = "the new branch " + branch.branch().describe();
    String after = branch.delete() ? what + " was deleted" : what + " could not be deleted (see the warning)";
    return new FailureException(known.kind(), known.getMessage() + "; " + after, known);
  }

  /** The archive's database: the manifest's, else the key's, else the database input. */
  static String databaseOf(RestoreSettings settings, BackupToRestore backup) {
    return backup
        .manifest()
        .map(Manifest::database)
        .or(() -> BackupKey.parseAny(settings.storage().prefix(), backup.location().key()).map(BackupKey::database))
        .or(settings::database)
        .orElseThrow(
            () ->
                new InputException(
                    "cannot tell which database "
                        + backup.location().url()
                        + " holds (no manifest, and not a key of this tool): set database"));
  }

  /** Neon's search matches parts of names: only an exact match counts. Nothing is made yet. */
  private void refuseExisting(BranchTargetSettings target) {
    List<Branch> named = api.branchesNamed(target.projectId(), target.name());
    if (!named.isEmpty()) {
      throw new InputException(
          NeonInputs.TARGET_BRANCH + ": project '" + target.projectId() + "' already has a branch"
              + " named '" + target.name() + "' (" + named.get(0).id() + "): choose a new name, or"
              + " delete that branch first; nothing was created");
    }
  }

  /**
   * The owner of {@code database} on the parent; a database the parent lacks (dropped since the
   * backup) gets the owner of the parent's first database.
   */
  private String ownerOf(BranchTargetSettings target, Branch parent, String database) {
    List<Database> databases = BranchDatabases.of(api, target.projectId(), parent.id());
    Optional<Database> same = databases.stream().filter(d -> d.name().equals(database)).findFirst();
    if (same.isPresent()) {
      return same.get().ownerName();
    }
    Database first =
        databases.stream()
            .findFirst()
            .orElseThrow(
                () ->
                    new InputException(
                        NeonInputs.BRANCH + ": branch " + parent.describe() + " has no database"
                            + " whose owner could own '" + database + "' in the new branch"));
    reporter.info(
        "branch " + parent.describe() + " has no database '" + database + "': the new branch gets"
            + " one owned by '" + first.ownerName() + "' (the owner of '" + first.name() + "')");
    return first.ownerName();
  }
}
