package dev.neonbackup.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Neon API v2 objects (Project, Branch, Endpoint, Role, Database, ConnectionDetails). */
final class NeonJson {
  private NeonJson() {}

  /** RFC 3339 in UTC, to the second, as Neon writes its timestamps. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Map<String, Object> error(String message) {
    return Map.of("code", "", "message", message);
  }

  static Map<String, Object> project(
      String id, NeonBranch main, int pgVersion, Instant createdAt, long historySeconds) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("platform_id", "aws");
    json.put("region_id", regionId(main));
    json.put("name", id);
    json.put("provisioner", "k8s-neonvm");
    json.put("pg_version", pgVersion);
    json.put("proxy_host", proxyHost(main));
    json.put("branch_logical_size_limit", 0);
    json.put("branch_logical_size_limit_bytes", 0);
    json.put("store_passwords", true);
    json.put("creation_source", "console");
    json.put("history_retention_seconds", historySeconds);
    json.put("owner_id", "stand-in-owner");
    json.put("created_at", time(createdAt));
    json.put("updated_at", time(createdAt));
    json.put("consumption_period_start", time(createdAt));
    json.put("consumption_period_end", time(createdAt.plus(30, ChronoUnit.DAYS)));
    for (String zero :
        List.of(
            "active_time_seconds",
            "compute_time_seconds",
            "written_data_bytes",
            "data_transfer_bytes",
            "data_storage_bytes_hour",
            "cpu_used_sec")) {
      json.put(zero, 0);
    }
    return json;
  }

  static Map<String, Object> branch(String projectId, NeonBranch branch) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", branch.id());
    json.put("project_id", projectId);
    putIfSet(json, "parent_id", branch.parentId());
    putIfSet(json, "parent_lsn", branch.parentLsn());
    putIfSet(json, "parent_timestamp", branch.requestedParentTimestamp());
    json.put("name", branch.name());
    json.put("current_state", branch.ready() ? "ready" : "init");
    json.put("state_changed_at", time(branch.createdAt()));
    json.put("logical_size", 0);
    json.put("creation_source", "console");
    json.put("primary", branch.isDefault());
    json.put("default", branch.isDefault());
    json.put("protected", false);
    json.put("init_source", "parent-data");
    for (String zero :
        List.of(
            "cpu_used_sec",
            "compute_time_seconds",
            "active_time_seconds",
            "written_data_bytes",
            "data_transfer_bytes")) {
      json.put(zero, 0);
    }
    json.put("created_at", time(branch.createdAt()));
    json.put("updated_at", time(branch.createdAt()));
    putIfSet(json, "expires_at", branch.expiresAt());
    return json;
  }

  static Map<String, Object> endpoint(String projectId, NeonBranch branch) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", branch.endpoint().directHost());
    json.put("id", branch.endpoint().endpointId());
    json.put("project_id", projectId);
    json.put("branch_id", branch.id());
    json.put("region_id", regionId(branch));
    json.put("autoscaling_limit_min_cu", 0.25);
    json.put("autoscaling_limit_max_cu", 0.25);
    json.put("type", "read_write");
    json.put("current_state", "active");
    json.put("pooler_enabled", false);
    json.put("pooler_mode", "transaction");
    json.put("disabled", false);
    json.put("passwordless_access", true);
    json.put("creation_source", "console");
    json.put("created_at", time(branch.createdAt()));
    json.put("updated_at", time(branch.createdAt()));
    json.put("settings", Map.of());
    json.put("proxy_host", proxyHost(branch));
    json.put("suspend_timeout_seconds", 0);
    json.put("provisioner", "k8s-neonvm");
    return json;
  }

  static Map<String, Object> role(NeonBranch branch, String name) {
    return Map.of(
        "branch_id",
        branch.id(),
        "name",
        name,
        "protected",
        false,
        "created_at",
        time(branch.createdAt()),
        "updated_at",
        time(branch.createdAt()));
  }

  static Map<String, Object> database(NeonBranch branch, Map<String, Object> database) {
    Map<String, Object> json = new LinkedHashMap<>(database);
    json.put("branch_id", branch.id());
    json.put("created_at", time(branch.createdAt()));
    json.put("updated_at", time(branch.createdAt()));
    return json;
  }

  /** One {@code connection_uris} entry: the database with its owner, direct and pooler hosts. */
  static Map<String, Object> connectionDetails(NeonBranch branch, Map<String, Object> database) {
    String role = (String) database.get("owner_name");
    String name = (String) database.get("name");
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("database", name);
    parameters.put("password", branch.server().password());
    parameters.put("role", role);
    parameters.put("host", branch.endpoint().directHost());
    parameters.put("pooler_host", branch.endpoint().pooledHost());
    return Map.of(
        "connection_uri",
        branch.connectionUri(role, name, false),
        "connection_parameters",
        parameters);
  }

  /** {@code <region>.aws.neon.tech}: the endpoint's host without its first label. */
  private static String proxyHost(NeonBranch branch) {
    String host = branch.endpoint().directHost();
    return host.substring(host.indexOf('.') + 1);
  }

  private static String regionId(NeonBranch branch) {
    String proxyHost = proxyHost(branch);
    return "aws-" + proxyHost.substring(0, proxyHost.indexOf('.'));
  }

  private static void putIfSet(Map<String, Object> json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
