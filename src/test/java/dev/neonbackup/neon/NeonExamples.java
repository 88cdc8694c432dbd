package dev.neonbackup.neon;

/**
 * Answers of the Neon API, from the examples of its OpenAPI description (public-v2-for-users
 * .gen.yaml of @neondatabase/api-client 2.7.3), with names changed where a test needs them.
 */
final class NeonExamples {
  static final String PROJECT = "shiny-wind-028834";
  static final String BRANCHES_PATH = "/projects/" + PROJECT + "/branches";

  private NeonExamples() {}

  static String branch(String id, String name, boolean isDefault, String extra) {
    return """
           {"id": "%s", "project_id": "shiny-wind-028834", "parent_id": "br-aged-salad-637688",
            "parent_lsn": "0/1DE2850", "name": "%s", "current_state": "ready",
            "state_changed_at": "2022-11-30T20:09:48Z", "logical_size": 28,
            "created_at": "2022-11-30T19:09:48Z", "updated_at": "2022-11-30T19:09:49Z",
            "data_transfer_bytes": 1000000, "written_data_bytes": 100800,
            "compute_time_seconds": 100, "active_time_seconds": 100, "cpu_used_sec": 100,
            "default": %s, "protected": false, "creation_source": "console",
            "init_source": "parent-data"%s}"""
        .formatted(id, name, isDefault, extra);
  }

  static final String MAIN = branch("br-aged-salad-637688", "main", true, "");

  /** GET /projects/{id}/branches: main (default), dev2 and dev1. */
  static String branches(String... branches) {
    return "{\"branches\": ["
        + String.join(",", branches)
        + "],"
        + " \"annotations\": {}, \"pagination\": {\"sort_by\": \"updated_at\","
        + " \"sort_order\": \"desc\"}}";
  }

  static final String LISTED =
      branches(
          MAIN,
          branch("br-sweet-breeze-497520", "dev2", false, ""),
          branch("br-raspy-hill-832856", "dev1", false, ""));

  static String operation(String id, String action, String status) {
    return """
           {"id": "%s", "project_id": "shiny-wind-028834", "branch_id": "br-new-branch-123456",
            "endpoint_id": "ep-silent-smoke-806639", "action": "%s", "status": "%s",
            "failures_count": 0, "created_at": "2022-11-15T20:02:00Z",
            "updated_at": "2022-11-15T20:02:02Z", "total_duration_ms": 200}"""
        .formatted(id, action, status);
  }

  static final String TIMELINE_OP = "a07f8772-1877-4da9-a939-3a3ae62d1d8d";
  static final String COMPUTE_OP = "b6afbc21-2990-4a76-980b-b57d8c2948f2";

  static final String ENDPOINT =
      """
      {"host": "ep-silent-smoke-806639.us-east-2.aws.neon.tech", "id": "ep-silent-smoke-806639",
       "project_id": "shiny-wind-028834", "branch_id": "br-new-branch-123456",
       "autoscaling_limit_min_cu": 1, "autoscaling_limit_max_cu": 1, "region_id": "aws-us-east-2",
       "type": "read_write", "current_state": "init", "pending_state": "active",
       "settings": {"pg_settings": {}}, "pooler_enabled": false, "pooler_mode": "transaction",
       "disabled": false, "passwordless_access": true, "creation_source": "console",
       "created_at": "2022-11-15T20:02:00Z", "updated_at": "2022-11-15T20:02:00Z",
       "proxy_host": "us-east-2.aws.neon.tech", "suspend_timeout_seconds": 0,
       "provisioner": "k8s-neonvm"}""";

  /** POST /projects/{id}/branches: 201 with the branch, its endpoint and two operations. */
  static String created(String name, String status) {
    return "{\"branch\": "
        + branch("br-new-branch-123456", name, false, ", \"expires_at\": \"2026-11-21T09:15:00Z\"")
        + ", \"endpoints\": ["
        + ENDPOINT
        + "], \"operations\": ["
        + operation(TIMELINE_OP, "create_timeline", status)
        + ","
        + operation(COMPUTE_OP, "start_compute", status)
        + "], \"roles\": [], \"databases\": [], \"connection_uris\": []}";
  }

  static String operationAnswer(String id, String action, String status) {
    return "{\"operation\": " + operation(id, action, status) + "}";
  }

  static final String DATABASES =
      """
      {"databases": [
        {"id": 834686, "branch_id": "br-aged-salad-637688", "name": "main", "owner_name": "casey",
         "created_at": "2022-11-30T18:25:15Z", "updated_at": "2022-11-30T18:25:15Z"},
        {"id": 834687, "branch_id": "br-aged-salad-637688", "name": "mydb", "owner_name": "casey",
         "created_at": "2022-10-30T17:14:13Z", "updated_at": "2022-10-30T17:14:13Z"}]}""";

  static final String ROLES =
      """
      {"roles": [
        {"branch_id": "br-aged-salad-637688", "name": "casey", "protected": false,
         "created_at": "2022-11-23T17:42:25Z", "updated_at": "2022-11-23T17:42:25Z"},
        {"branch_id": "br-aged-salad-637688", "name": "thomas", "protected": false,
         "created_at": "2022-10-22T17:38:21Z", "updated_at": "2022-10-22T17:38:21Z"}]}""";

  static String error(String message) {
    return "{\"request_id\": \"6a3a2f8e\", \"code\": \"\", \"message\": \"" + message + "\"}";
  }
}
