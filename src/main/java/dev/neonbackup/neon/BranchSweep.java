package dev.neonbackup.neon;

import dev.neonbackup.report.Reporter;
import java.util.List;
import java.util.Optional;

/**
 * Deletes the branches earlier runs of this program left behind (killed before they could, or on an
 * account where {@code expires_at} is refused), as {@link BranchNames#stale} chooses them. A branch
 * that cannot be deleted is a warning: the run goes on.
 */
final class BranchSweep {
  private BranchSweep() {}

  static void run(NeonApi api, String projectId, Reporter reporter) {
    List<Branch> ours = api.listBranches(projectId, Optional.of(BranchNames.PREFIX));
    for (Branch branch : BranchNames.stale(ours, api.clock().instant())) {
      String why =
          branch
              .expiresAt()
              .filter(at -> !at.isAfter(api.clock().instant()))
              .map(at -> "expired at " + BranchNames.rfc3339(at))
              .orElse("created " + branch.createdAt().map(BranchNames::rfc3339).orElse("?"));
      try {
        api.deleteBranch(projectId, branch.id(), false);
        reporter.info(
            "deleted branch " + branch.describe() + ", left by an earlier run (" + why + ")");
      } catch (NeonException e) {
        reporter.warn(
            "could not delete branch "
                + branch.describe()
                + ", left by an earlier run ("
                + why
                + "): "
                + e.getMessage());
      }
    }
  }
}
