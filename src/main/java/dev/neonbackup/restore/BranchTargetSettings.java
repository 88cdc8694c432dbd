package dev.neonbackup.restore;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.neon.NeonInputs;
import dev.neonbackup.report.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A restore into a new Neon branch ({@code target-branch}), validated: the branch's name, how long
 * Neon keeps it ({@code target-branch-ttl}; empty: until deleted), and the API that makes it, from
 * {@code neon-branch} (empty: the project's default branch).
 */
public record BranchTargetSettings(
    String name,
    Optional<Duration> ttl,
    Secret apiKey,
    String projectId,
    Optional<String> parent,
    URI apiUrl,
    boolean verifyTls) {

  /** A branch that expires sooner could go while the restore still runs. */
  public static final Duration MIN_TTL = Duration.ofHours(1);

  /** The inputs as given (null or blank: not given); empty without target-branch. */
  public static Optional<BranchTargetSettings> of(
      String targetBranch,
      Duration ttl,
      String targetUrl,
      NeonInputValues neon,
      boolean verifyTls) {
    Optional<String> name = Inputs.optional(targetBranch);
    if (name.isEmpty()) {
      if (ttl != null) {
        throw new InputException(NeonInputs.TARGET_BRANCH_TTL + " needs " + NeonInputs.TARGET_BRANCH);
      }
      if (Inputs.optional(neon.branch()).isPresent()) {
        throw new InputException(
            NeonInputs.BRANCH + " picks the parent of " + NeonInputs.TARGET_BRANCH + "; a restore"
                + " into " + RestoreSettings.TARGET_URL + " goes into that database only: leave "
                + NeonInputs.BRANCH + " out, or give " + NeonInputs.TARGET_BRANCH + " instead of "
                + RestoreSettings.TARGET_URL);
      }
      if (NeonInputs.otherApiUrl(neon.apiUrl())) {
        throw new InputException(
            NeonInputs.API_URL + " is used with " + NeonInputs.TARGET_BRANCH + " only: leave it out");
      }
      return Optional.empty();
    }
    if (Inputs.optional(targetUrl).isPresent()) {
      throw new InputException(
          RestoreSettings.TARGET_URL + " and " + NeonInputs.TARGET_BRANCH + " are exclusive: restore"
              + " into an existing database (" + RestoreSettings.TARGET_URL + ") or into a new Neon"
              + " branch (" + NeonInputs.TARGET_BRANCH + "), not both");
    }
    String branch = NeonInputs.newBranchName(name.get());
    if (ttl != null && ttl.compareTo(MIN_TTL) < 0) {
      throw new InputException(
          NeonInputs.TARGET_BRANCH_TTL + " must be at least 1h: the branch must outlive the restore");
    }
    String key = Inputs.optional(neon.apiKey()).orElseThrow(() -> needs(NeonInputs.API_KEY, "a secret"));
    String project =
        Inputs.optional(neon.projectId())
            .map(NeonInputs::projectId)
            .orElseThrow(() -> needs(NeonInputs.PROJECT_ID, "the project's Settings in the Neon Console"));
    return Optional.of(
        new BranchTargetSettings(
            branch,
            Optional.ofNullable(ttl),
            Secret.of(key),
            project,
            Inputs.optional(neon.branch()).map(NeonInputs::branch),
            NeonInputs.apiUrl(Optional.ofNullable(neon.apiUrl())),
            verifyTls));
  }

  /** The Neon inputs as given: neon-api-key, neon-project-id, neon-branch, neon-api-url. */
  public record NeonInputValues(String apiKey, String projectId, String branch, String apiUrl) {
    public static NeonInputValues none() {
      return new NeonInputValues(null, null, null, null);
    }
  }

  private static InputException needs(String input, String hint) {
    return new InputException(
        NeonInputs.TARGET_BRANCH + " needs " + input + " (" + hint + "): the branch is made through"
            + " the Neon API");
  }
}
