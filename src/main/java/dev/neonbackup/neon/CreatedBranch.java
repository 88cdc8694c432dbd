package dev.neonbackup.neon;

import java.util.List;

/**
 * The answer to a branch creation: the branch, its endpoints and the operations to wait for. A
 * branch found by name after a creation that got no clear answer has no operations to wait for
 * ({@code recovered}): then its state tells when it is ready.
 */
public record CreatedBranch(
    Branch branch, List<Endpoint> endpoints, List<Operation> operations, boolean recovered) {}
