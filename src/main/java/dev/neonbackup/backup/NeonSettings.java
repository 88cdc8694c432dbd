package dev.neonbackup.backup;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.neon.NeonInputs;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.report.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The Neon API as the source of a backup, validated: the key and project that reach it, the
 * branch to dump (or to branch from), and whether the run dumps a temporary branch ({@code
 * snapshot: branch}) made at {@code snapshot-timestamp} or now.
 */
public record NeonSettings(
    Secret apiKey,
    String projectId,
    Optional<String> branch,
    URI apiUrl,
    Snapshot snapshot,
    Optional<Instant> snapshotTimestamp) {

  public static final String SNAPSHOT = "snapshot";

  /** What the run dumps. */
  public enum Snapshot {
    /** What the connection points at: database-url, or neon-branch itself. */
    NONE,
    /** A temporary branch of neon-branch, made for this run and deleted after it. */
    BRANCH;

    public static Snapshot parse(String text) {
      String given = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
      switch (given) {
        case "":
        case "none":
          return NONE;
        case "branch":
          return BRANCH;
        default:
          throw new InputException(SNAPSHOT + " must be none or branch (got '" + text.strip() + "')");
      }
    }
  }

  /**
   * The inputs as given (null or blank: not given). Empty when no Neon input is given at all;
   * otherwise each must make sense with the others, or the message names the one to change.
   */
  public static Optional<NeonSettings> of(
      String apiKey,
      String projectId,
      String branch,
      String apiUrl,
      String snapshot,
      String snapshotTimestamp,
      Clock clock) {
    Optional<String> key = Inputs.optional(apiKey).map(String::strip);
    Optional<String> project = Inputs.optional(projectId).map(NeonInputs::projectId);
    Optional<String> parent = Inputs.optional(branch).map(NeonInputs::branch);
    URI api = NeonInputs.apiUrl(Optional.ofNullable(apiUrl));
    Snapshot mode = Snapshot.parse(snapshot);
    Optional<Instant> at =
        Inputs.optional(snapshotTimestamp).map(t -> NeonInputs.snapshotTimestamp(t, clock.instant()));
    if (key.isEmpty() && project.isEmpty()) {
      requireNoApiInput(mode, at, parent, NeonInputs.otherApiUrl(apiUrl));
      return Optional.empty();
    }
    if (key.isEmpty()) {
      throw new InputException(
          NeonInputs.API_KEY + " is required with " + NeonInputs.PROJECT_ID + " (create one under"
              + " Account settings > API keys in the Neon Console, and keep it in a secret)");
    }
    if (project.isEmpty()) {
      throw new InputException(
          NeonInputs.PROJECT_ID + " is required with " + NeonInputs.API_KEY
              + " (the Neon Console shows it in the project's Settings)");
    }
    if (at.isPresent() && mode != Snapshot.BRANCH) {
      throw new InputException(NeonInputs.SNAPSHOT_TIMESTAMP + " needs " + SNAPSHOT + ": branch");
    }
    return Optional.of(new NeonSettings(Secret.of(key.get()), project.get(), parent, api, mode, at));
  }

  private static void requireNoApiInput(
      Snapshot mode, Optional<Instant> at, Optional<String> parent, boolean apiUrl) {
    String needsApi =
        mode == Snapshot.BRANCH ? SNAPSHOT + ": branch"
            : at.isPresent() ? NeonInputs.SNAPSHOT_TIMESTAMP
            : parent.isPresent() ? NeonInputs.BRANCH
            : apiUrl ? NeonInputs.API_URL : null;
    if (needsApi != null) {
      throw new InputException(
          needsApi + " works through the Neon API: set " + NeonInputs.API_KEY + " (a secret) and "
              + NeonInputs.PROJECT_ID);
    }
  }

  /**
   * With database-url, the API only makes the temporary branch: database-url's database and role
   * are dumped there. Without a temporary branch, database-url already names what to dump, so a
   * neon-branch would be ignored: refused instead. A role is needed to connect on the branch.
   */
  void checkWith(ConnectionString databaseUrl) {
    if (!temporaryBranch() && branch.isPresent()) {
      throw new InputException(
          NeonInputs.BRANCH + " picks the branch to dump, but " + BackupSettings.DATABASE_URL
              + " already names one: leave " + NeonInputs.BRANCH + " out, or set " + SNAPSHOT
              + ": branch to dump a temporary branch of it with " + BackupSettings.DATABASE_URL
              + "'s database and role");
    }
    if (temporaryBranch() && databaseUrl.parameter("user").isEmpty()) {
      throw new InputException(
          BackupSettings.DATABASE_URL + " names no role: with " + SNAPSHOT + ": branch, give the role"
              + " too (postgresql://role:password@host/db), or leave " + BackupSettings.DATABASE_URL
              + " out to dump each database as its owner");
    }
  }

  public boolean temporaryBranch() {
    return snapshot == Snapshot.BRANCH;
  }
}
