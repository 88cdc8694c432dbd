package dev.neonbackup.neon;

import java.time.Instant;
import java.util.Optional;

/**
 * A branch to create, with one {@code read_write} endpoint.
 *
 * @param parentId the parent's id ({@code br-...}); empty means the project's default branch
 * @param parentTimestamp the point in the parent's history to branch from; empty means now
 * @param name the new branch's name
 * @param expiresAt when Neon may delete it by itself; empty for no expiry
 */
public record BranchRequest(
    Optional<String> parentId,
    Optional<Instant> parentTimestamp,
    String name,
    Optional<Instant> expiresAt) {

  public BranchRequest withoutExpiry() {
    return new BranchRequest(parentId, parentTimestamp, name, Optional.empty());
  }
}
