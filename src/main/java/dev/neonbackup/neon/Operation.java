package dev.neonbackup.neon;

import java.util.Optional;
import java.util.Set;

/** One of Neon's asynchronous operations (creating a timeline, starting a compute...). */
public record Operation(String id, String action, String status, Optional<String> error) {
  private static final Set<String> FAILED = Set.of("failed", "error", "cancelled");
  private static final Set<String> SETTLED = Set.of("finished", "skipped");

  /** Finished, or skipped: nothing left to wait for. */
  public boolean settled() {
    return SETTLED.contains(status);
  }

  /** Failed, errored or cancelled: the branch is not usable. */
  public boolean failed() {
    return FAILED.contains(status);
  }
}
