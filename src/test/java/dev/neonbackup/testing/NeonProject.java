package dev.neonbackup.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stand-in's one project: its branches (each with its own PostgreSQL) and operations. A new
 * branch's data is copied from its parent while the create call is answered, so it holds exactly
 * what the parent held then.
 */
final class NeonProject implements AutoCloseable {
  private static final String[] WORDS = {"shiny", "wind", "spring", "example", "silent", "smoke"};

  private final String id;
  private final Instant createdAt = Instant.now();
  private final int pgVersion;
  private final List<NeonBranch> branches = new CopyOnWriteArrayList<>();
  private final Map<String, NeonOperation> operations = new ConcurrentHashMap<>();

  NeonProject(NeonLikeEndpoint mainEndpoint) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.id =
        WORDS[random.nextInt(WORDS.length)]
            + "-"
            + WORDS[random.nextInt(WORDS.length)]
            + "-"
            + Randoms.lowercase(6);
    NeonBranchRequest main = new NeonBranchRequest("main", null, null, null, null, true);
    branches.add(new NeonBranch(main, true, mainEndpoint));
    this.pgVersion = mainEndpoint.compute().majorVersion(); // once: a GET must not connect to main
  }

  int pgVersion() {
    return pgVersion;
  }

  String id() {
    return id;
  }

  Instant createdAt() {
    return createdAt;
  }

  NeonBranch defaultBranch() {
    return branches.get(0);
  }

  /** The live branch {@code branchId}, else Neon's 404. */
  NeonBranch branch(String branchId) {
    return find(branchId)
        .filter(b -> !b.deleted())
        .orElseThrow(() -> NeonApiError.notFound("branch not found"));
  }

  /** The branch {@code branchId}, deleted or not. */
  Optional<NeonBranch> find(String branchId) {
    return branches.stream().filter(b -> b.id().equals(branchId)).findFirst();
  }

  List<NeonBranch> allBranches() {
    return List.copyOf(branches);
  }

  List<NeonBranch> liveBranches() {
    return branches.stream().filter(b -> !b.deleted()).toList();
  }

  /** The live branches whose name or id contains {@code search} (case-insensitive), or all. */
  List<NeonBranch> search(String search) {
    if (search == null || search.isEmpty()) {
      return liveBranches();
    }
    String wanted = search.toLowerCase(Locale.ROOT);
    return liveBranches().stream()
        .filter(b -> b.name().toLowerCase(Locale.ROOT).contains(wanted) || b.id().contains(wanted))
        .toList();
  }

  /** Copies the parent into a new branch with its own compute; one branch at a time. */
  synchronized NeonBranch create(NeonBranchRequest request, int runningPolls) {
    if (request.name() != null
        && liveBranches().stream().anyMatch(b -> b.name().equals(request.name()))) {
      throw new NeonApiError(409, "branch already exists");
    }
    NeonBranch parent = request.parentId() == null ? defaultBranch() : branch(request.parentId());
    NeonBranchRequest withParent =
        new NeonBranchRequest(
            request.name(),
            parent.id(),
            request.parentLsn(),
            request.parentTimestamp(),
            request.expiresAt(),
            request.readWriteEndpoint());
    NeonBranch branch =
        new NeonBranch(withParent, false, NeonLikeEndpoint.startCopyOf(parent.endpoint()));
    branches.add(branch);
    branch.creation().add(operation(branch, null, "create_branch", runningPolls));
    if (branch.endpointRequested()) {
      String endpointId = branch.endpoint().endpointId();
      branch.creation().add(operation(branch, endpointId, "start_compute", runningPolls));
    }
    return branch;
  }

  /**
   * Stops and deletes the branch's compute and returns the operations of the deletion; empty when
   * there is no such live branch (Neon's 204).
   */
  synchronized Optional<List<NeonOperation>> delete(String branchId, int runningPolls) {
    Optional<NeonBranch> found = find(branchId).filter(b -> !b.deleted());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    NeonBranch branch = found.get();
    if (branch.isDefault()) {
      throw NeonApiError.badRequest("cannot delete the project's default branch");
    }
    if (liveBranches().stream().anyMatch(b -> branch.id().equals(b.parentId()))) {
      throw NeonApiError.badRequest("cannot delete a branch that has child branches");
    }
    branch.markDeleted();
    branch.endpoint().close();
    List<NeonOperation> deletion = new ArrayList<>();
    deletion.add(
        operation(branch, branch.endpoint().endpointId(), "suspend_compute", runningPolls));
    deletion.add(operation(branch, null, "delete_timeline", runningPolls));
    return Optional.of(deletion);
  }

  /**
   * Creates a database in a live branch's PostgreSQL; returns the operation Neon would start
   * ({@code apply_config} on the branch's endpoint), finished after {@code runningPolls} reads.
   */
  synchronized NeonOperation createDatabase(
      String branchId, String database, String owner, int runningPolls) {
    NeonBranch branch = branch(branchId);
    branch.createDatabase(database, owner);
    return operation(branch, branch.endpoint().endpointId(), "apply_config", runningPolls);
  }

  /** Drops a database of a live branch; empty when it had none of that name (Neon's 204). */
  synchronized Optional<NeonOperation> dropDatabase(
      String branchId, String database, int runningPolls) {
    NeonBranch branch = branch(branchId);
    if (!branch.dropDatabase(database)) {
      return Optional.empty();
    }
    return Optional.of(
        operation(branch, branch.endpoint().endpointId(), "apply_config", runningPolls));
  }

  NeonOperation operation(String operationId) {
    NeonOperation operation = operations.get(operationId);
    if (operation == null) {
      throw NeonApiError.notFound("operation not found");
    }
    return operation;
  }

  private NeonOperation operation(
      NeonBranch branch, String endpointId, String action, int runningPolls) {
    NeonOperation operation = new NeonOperation(id, branch.id(), endpointId, action, runningPolls);
    operations.put(operation.id(), operation);
    return operation;
  }

  /** Stops every branch's compute, the default branch's last. */
  @Override
  public void close() {
    List<NeonBranch> all = new ArrayList<>(branches);
    Collections.reverse(all);
    for (NeonBranch branch : all) {
      try {
        branch.endpoint().close();
      } catch (RuntimeException e) {
        FixtureLog.log("while stopping " + branch + ": " + e.getMessage());
      }
    }
  }
}
