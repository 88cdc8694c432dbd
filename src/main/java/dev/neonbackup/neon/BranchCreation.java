package dev.neonbackup.neon;

import dev.neonbackup.neon.Call.Subject;
import java.util.List;
import java.util.Optional;

/**
 * Creates a branch without ever creating two. A POST that timed out, lost its connection or got a
 * 5xx other than 503 may have been carried out; before sending it again, the branch is looked for
 * by its exact name (after a pause, since Neon may still be creating it) and used if it exists. A
 * 409 (the name exists) means an earlier try of this run made it: the names are the run's own.
 * After the last try, the name is looked for once more, so a branch is never left unknown.
 *
 * <p>A name the user chose (restore's target-branch) is not the run's own: another client may make
 * a branch of it between the check and the create. A 409 before any try that may have been carried
 * out is then that client's branch, never taken; after such a try, a branch found by the name is
 * taken only if it is the one asked for: the same parent, made after the first try began.
 */
final class BranchCreation {
  static final int MAX_CREATES = 3;

  private final NeonApi api;
  private final NeonHttp http;

  BranchCreation(NeonApi api, NeonHttp http) {
    this.api = api;
    this.http = http;
  }

  CreatedBranch create(String projectId, BranchRequest request) {
    Call call =
        new Call(
            "POST",
            NeonPaths.projectPath(projectId) + "/branches",
            "creating branch '" + request.name() + "' in project '" + projectId + "'",
            Subject.PROJECT,
            projectId,
            request.parentTimestamp().map(BranchNames::rfc3339));
    Optional<String> body = Optional.of(NeonJson.createBody(request));
    boolean ourName = BranchNames.isOurs(request.name());
    java.time.Instant began = api.clock().instant();
    boolean mayHaveMadeIt = false;
    for (int creates = 1; ; creates++) {
      NeonException failure;
      try {
        return NeonJson.created(http.send(call, body).json());
      } catch (NeonException e) {
        failure = e;
      }
      boolean exists = failure.status() == 409;
      if ((!failure.maybeDone() && !exists) || (exists && !ourName && !mayHaveMadeIt)) {
        throw failure;
      }
      mayHaveMadeIt |= failure.maybeDone();
      http.pause(RetryPolicy.backoff(creates), call);
      List<Branch> found =
          api.branchesNamed(projectId, request.name()).stream()
              .filter(branch -> ourName || askedFor(branch, request, began))
              .toList();
      if (!found.isEmpty()) {
        return new CreatedBranch(found.get(0), List.of(), List.of(), true);
      }
      if (exists || creates >= MAX_CREATES) {
        throw failure;
      }
    }
  }

  /**
   * Whether {@code branch} is the one {@code request} asked for: its parent, made after {@code
   * began} (less a minute for the clocks of this runner and Neon to differ).
   */
  private static boolean askedFor(Branch branch, BranchRequest request, java.time.Instant began) {
    return branch.parentId().equals(request.parentId())
        && branch.createdAt().filter(at -> !at.isBefore(began.minusSeconds(60))).isPresent();
  }
}
