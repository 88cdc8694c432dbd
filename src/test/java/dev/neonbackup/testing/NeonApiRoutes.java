package dev.neonbackup.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paths of the Neon API v2 that the stand-in answers, each turned into a call on the {@link
 * NeonProject}: what the OpenAPI file {@code public-v2-for-users.gen.yaml} gives for status codes
 * and response shapes.
 */
final class NeonApiRoutes {
  private static final Pattern PROJECT = Pattern.compile("/projects/([a-z0-9-]{1,60})(/.*)?");
  private static final Pattern BRANCH = Pattern.compile("/branches/([a-z0-9-]{1,60})(/.*)?");
  private static final Pattern OPERATION = Pattern.compile("/operations/([0-9a-f-]{36})");
  private static final Pattern PASSWORD = Pattern.compile("/roles/([^/]+)/reveal_password");
  private static final Pattern DATABASE = Pattern.compile("/databases/([^/]+)");

  /** A status and its JSON body (null for none, as in 204). */
  record Answer(int status, Object json) {}

  private final NeonProject project;
  private final IntSupplier runningPolls;
  private final Supplier<NeonBranchRequest.Rules> rules;

  NeonApiRoutes(
      NeonProject project, IntSupplier runningPolls, Supplier<NeonBranchRequest.Rules> rules) {
    this.project = project;
    this.runningPolls = runningPolls;
    this.rules = rules;
  }

  /** Answers {@code method path} (path below {@code /api/v2}); throws {@link NeonApiError}. */
  Answer answer(String method, String path, Map<String, String> query, Map<String, Object> body) {
    Matcher m = PROJECT.matcher(path);
    if (!m.matches()) {
      throw NeonApiError.notFound("not found");
    }
    if (!m.group(1).equals(project.id())) {
      throw NeonApiError.notFound("project not found");
    }
    String rest = m.group(2) == null ? "" : m.group(2);
    Matcher branch = BRANCH.matcher(rest);
    Matcher operation = OPERATION.matcher(rest);
    if (branch.matches()) {
      String below = branch.group(2) == null ? "" : branch.group(2);
      return branchRoute(method, branch.group(1), below, query, body);
    } else if (operation.matches() && method.equals("GET")) {
      return ok(Map.of("operation", project.operation(operation.group(1)).poll()));
    }
    return switch (method + " " + rest) {
      case "GET " ->
          ok(
              Map.of(
                  "project",
                  NeonJson.project(
                      project.id(),
                      project.defaultBranch(),
                      project.pgVersion(),
                      project.createdAt(),
                      rules.get().restoreWindow().toSeconds())));
      case "GET /branches" ->
          ok(
              Map.of(
                  "branches",
                  project.search(query.get("search")).stream()
                      .map(b -> NeonJson.branch(project.id(), b))
                      .toList()));
      case "POST /branches" ->
          created(
              project.create(NeonBranchRequest.parse(body, rules.get()), runningPolls.getAsInt()));
      case "GET /connection_uri" -> connectionUri(query);
      default -> throw notAllowed(method, rest);
    };
  }

  private Answer branchRoute(
      String method,
      String branchId,
      String below,
      Map<String, String> query,
      Map<String, Object> body) {
    if (method.equals("DELETE") && below.isEmpty()) {
      return project
          .delete(branchId, runningPolls.getAsInt())
          .map(
              ops ->
                  ok(
                      Map.of(
                          "branch",
                              NeonJson.branch(project.id(), project.find(branchId).orElseThrow()),
                          "operations", ops.stream().map(NeonOperation::json).toList())))
          .orElse(new Answer(204, null));
    }
    NeonBranch branch = project.branch(branchId);
    Matcher password = PASSWORD.matcher(below);
    if (password.matches() && method.equals("GET")) {
      return ok(Map.of("password", revealPassword(branch, password.group(1))));
    }
    Matcher database = DATABASE.matcher(below);
    if (database.matches() && method.equals("DELETE")) {
      return dropDatabase(branch, decode(database.group(1)));
    }
    if (below.equals("/databases") && method.equals("POST")) {
      return createDatabase(branch, body);
    }
    return switch (method + " " + below) {
      case "GET " -> ok(Map.of("branch", NeonJson.branch(project.id(), branch)));
      case "GET /endpoints" -> ok(Map.of("endpoints", endpoints(branch)));
      case "GET /databases" ->
          ok(
              Map.of(
                  "databases",
                  branch.databases().stream().map(d -> NeonJson.database(branch, d)).toList()));
      case "GET /roles" ->
          ok(Map.of("roles", branch.roles().stream().map(r -> NeonJson.role(branch, r)).toList()));
      default -> throw notAllowed(method, "/branches/" + branchId + below);
    };
  }

  /** POST .../databases: {@code {"database": {"name", "owner_name"}}}, 201 with the operations. */
  private Answer createDatabase(NeonBranch branch, Map<String, Object> body) {
    Object given = body.get("database");
    Map<?, ?> database = given instanceof Map<?, ?> map ? map : Map.of();
    if (!(database.get("name") instanceof String name) || name.isEmpty()
        || !(database.get("owner_name") instanceof String owner) || owner.isEmpty()) {
      throw NeonApiError.badRequest("database.name and database.owner_name are required");
    }
    NeonOperation operation =
        project.createDatabase(branch.id(), name, owner, runningPolls.getAsInt());
    return new Answer(201, databaseOperations(branch, name, operation));
  }

  /** DELETE .../databases/{name}: 200 with the operations, 204 when there is no such database. */
  private Answer dropDatabase(NeonBranch branch, String name) {
    Map<String, Object> before =
        branch.databases().stream().filter(d -> d.get("name").equals(name)).findFirst().orElse(null);
    return project
        .dropDatabase(branch.id(), name, runningPolls.getAsInt())
        .map(operation -> ok(databaseOperations(branch, before, operation)))
        .orElse(new Answer(204, null));
  }

  private static Map<String, Object> databaseOperations(
      NeonBranch branch, String name, NeonOperation operation) {
    Map<String, Object> database =
        branch.databases().stream().filter(d -> d.get("name").equals(name)).findFirst().orElseThrow();
    return databaseOperations(branch, database, operation);
  }

  private static Map<String, Object> databaseOperations(
      NeonBranch branch, Map<String, Object> database, NeonOperation operation) {
    return Map.of(
        "database", NeonJson.database(branch, database), "operations", List.of(operation.json()));
  }

  private static String decode(String segment) {
    return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  private Answer created(NeonBranch branch) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("branch", NeonJson.branch(project.id(), branch));
    json.put("endpoints", endpoints(branch));
    json.put("operations", branch.creation().stream().map(NeonOperation::json).toList());
    json.put("roles", branch.roles().stream().map(r -> NeonJson.role(branch, r)).toList());
    List<Map<String, Object>> databases = branch.databases();
    json.put("databases", databases.stream().map(d -> NeonJson.database(branch, d)).toList());
    if (branch.endpointRequested()) {
      json.put(
          "connection_uris",
          databases.stream().map(d -> NeonJson.connectionDetails(branch, d)).toList());
    }
    return new Answer(201, json);
  }

  private Answer connectionUri(Map<String, String> query) {
    for (String required : List.of("database_name", "role_name")) {
      if (query.get(required) == null || query.get(required).isEmpty()) {
        throw NeonApiError.badRequest(required + " is required");
      }
    }
    String branchId = query.get("branch_id");
    NeonBranch branch = branchId == null ? project.defaultBranch() : project.branch(branchId);
    String endpointId = query.get("endpoint_id");
    if (!branch.endpointRequested()
        || (endpointId != null && !endpointId.equals(branch.endpoint().endpointId()))) {
      throw NeonApiError.notFound("endpoint not found");
    }
    String database = query.get("database_name");
    if (branch.databases().stream().noneMatch(d -> d.get("name").equals(database))) {
      throw NeonApiError.notFound("database not found");
    }
    String role = query.get("role_name");
    revealPassword(branch, role);
    boolean pooled = Boolean.parseBoolean(query.getOrDefault("pooled", "false"));
    return ok(Map.of("uri", branch.connectionUri(role, database, pooled)));
  }

  /** Only the owner's password is known to the stand-in, as Neon knows only roles it made. */
  private static String revealPassword(NeonBranch branch, String role) {
    if (!branch.roles().contains(role)) {
      throw NeonApiError.notFound("role not found");
    }
    if (!role.equals(branch.server().superuser())) {
      throw NeonApiError.notFound("the password of role " + role + " is not stored");
    }
    return branch.server().password();
  }

  private List<Map<String, Object>> endpoints(NeonBranch branch) {
    List<Map<String, Object>> endpoints = new ArrayList<>();
    if (branch.endpointRequested()) {
      endpoints.add(NeonJson.endpoint(project.id(), branch));
    }
    return endpoints;
  }

  private static NeonApiError notAllowed(String method, String path) {
    return NeonApiError.notFound("the stand-in does not answer " + method + " " + path);
  }

  private static Answer ok(Object json) {
    return new Answer(200, json);
  }
}
