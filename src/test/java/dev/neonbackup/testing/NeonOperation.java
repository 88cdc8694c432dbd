package dev.neonbackup.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One operation of the Neon API stand-in ({@code create_branch}, {@code start_compute}, {@code
 * suspend_compute}, {@code delete_timeline}): {@code running} for its first {@code runningPolls}
 * reads, {@code finished} from then on. The stand-in does the work before it answers, so the work
 * is done by the time an operation is {@code finished}.
 */
public final class NeonOperation {
  private final String id = UUID.randomUUID().toString();
  private final String projectId;
  private final String branchId;
  private final String endpointId;
  private final String action;
  private final Instant createdAt = Instant.now();
  private int pollsLeft;

  NeonOperation(
      String projectId, String branchId, String endpointId, String action, int runningPolls) {
    this.projectId = projectId;
    this.branchId = branchId;
    this.endpointId = endpointId;
    this.action = action;
    this.pollsLeft = runningPolls;
  }

  public String id() {
    return id;
  }

  public String action() {
    return action;
  }

  public String branchId() {
    return branchId;
  }

  public synchronized String status() {
    return pollsLeft > 0 ? "running" : "finished";
  }

  /** The operation as one GET answers it; counts as a poll. */
  synchronized Map<String, Object> poll() {
    Map<String, Object> json = json();
    if (pollsLeft > 0) {
      pollsLeft--;
    }
    return json;
  }

  /** The operation as it stands, not counted as a poll (e.g. in the create response). */
  synchronized Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("project_id", projectId);
    json.put("branch_id", branchId);
    if (endpointId != null) {
      json.put("endpoint_id", endpointId);
    }
    json.put("action", action);
    json.put("status", status());
    json.put("failures_count", 0);
    json.put("created_at", NeonJson.time(createdAt));
    json.put("updated_at", NeonJson.time(Instant.now()));
    json.put("total_duration_ms", 0);
    return json;
  }
}
