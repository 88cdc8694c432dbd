package dev.neonbackup.neon;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a dump of a temporary branch came from, for the manifest and the step summary.
 *
 * @param parentLsn the LSN of the parent the branch was made at, as Neon reports it
 * @param parentTimestamp the instant of the parent it was made at, when one was asked for (or Neon
 *     reports one)
 * @param endpointHost the host of the branch's read_write endpoint
 */
public record SnapshotSource(
    String projectId,
    String parentBranchId,
    String parentBranchName,
    String branchId,
    String branchName,
    Optional<String> parentLsn,
    Optional<Instant> parentTimestamp,
    Optional<String> endpointHost) {}
