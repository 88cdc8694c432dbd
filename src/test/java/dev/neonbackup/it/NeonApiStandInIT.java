package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.it.NeonApiCalls.Answer;
import dev.neonbackup.testing.NeonApiRequest;
import dev.neonbackup.testing.NeonApiStandIn;
import dev.neonbackup.testing.NeonBranch;
import dev.neonbackup.testing.NeonLikeEndpoint;
import dev.neonbackup.testing.PgTools;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Neon API stand-in as a client sees it: plain java.net.http calls with the paths, fields and
 * status codes of Neon's OpenAPI file, and JDBC over TLS to the branches it makes.
 */
class NeonApiStandInIT {
  private static NeonApiStandIn neon;
  private static NeonApiCalls api;

  @BeforeAll
  static void startStandIn() {
    neon = NeonApiStandIn.start();
    api = new NeonApiCalls(neon);
    neon.mainBranch()
        .server()
        .execute(
            "neondb",
            "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1,"
                + " 'before')");
  }

  @AfterAll
  static void stopStandIn() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void a_branch_is_a_tls_reachable_copy_of_main_as_it_was_at_the_create_call() throws Exception {
    long started = System.nanoTime();
    Answer created =
        api.createBranch(
            "{\"branch\": {\"name\": \"copy-test\"},"
                + " \"endpoints\": [{\"type\": \"read_write\"}]}");
    System.out.println(
        "creating a branch took " + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertEquals(201, created.status(), created.response().body());
    neon.mainBranch().server().execute("neondb", "INSERT INTO notes VALUES (2, 'after')");
    NeonApiRequest create =
        neon.requests().stream()
            .filter(r -> r.method().equals("POST"))
            .reduce((first, second) -> second)
            .orElseThrow();
    assertEquals("Bearer " + neon.apiKey(), create.authorization());
    assertTrue(create.body().contains("copy-test"), create.body());
    String branchId = assertBranchCreatedFromMain(created);
    awaitOperations(created);
    assertEquals("ready", api.get("/branches/" + branchId).object("branch").get("current_state"));
    String endpointId = (String) created.list("endpoints").get(0).get("id");
    assertTrue(endpointId.startsWith("ep-"), endpointId);
    assertEquals(
        endpointId,
        api.get("/branches/" + branchId + "/endpoints").list("endpoints").get(0).get("id"));

    String uri = assertConnectionUri(created, branchId, endpointId);
    try (Connection connection = NeonApiCalls.connect(uri);
        Statement statement = connection.createStatement()) {
      assertEquals(
          "true",
          single(statement, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
      assertEquals(
          "before", single(statement, "SELECT string_agg(body, ',' ORDER BY id) FROM notes"));
    }
    assertEquals(
        "before,after",
        PgTools.queryString(
            neon.mainBranch().server(),
            "neondb",
            "SELECT string_agg(body, ',' ORDER BY id) FROM notes"));
    assertDatabasesAndRoles(branchId);
    api.delete(branchId);
  }

  @Test
  void a_client_of_a_branch_is_counted_on_that_branch_and_never_on_main() throws Exception {
    NeonLikeEndpoint.Mark mainMark = neon.mainBranch().mark();
    Answer created =
        api.createBranch(
            "{\"branch\": {\"name\": \"counted\"}, \"endpoints\": [{\"type\": \"read_write\"}]}");
    assertEquals(201, created.status(), created.response().body());
    String branchId = (String) created.object("branch").get("id");
    NeonBranch branch = neon.branch(branchId).orElseThrow();
    NeonLikeEndpoint.Mark start = branch.mark();
    api.get("");
    api.get("/branches/" + branchId + "/databases");
    try (Connection connection = NeonApiCalls.connect(branch.connectionUri("neondb"))) {
      assertTrue(connection.isValid(5));
    }
    List<NeonLikeEndpoint.ComputeConnection> clients = branch.clientConnectionsSince(start);
    assertEquals(1, clients.size(), clients.toString());
    assertEquals("neondb", clients.get(0).database());
    assertNotNull(clients.get(0).tls(), clients.toString());
    assertEquals(List.of(), neon.mainBranch().clientConnectionsSince(mainMark));
    api.delete(branchId);
  }

  @Test
  void delete_answers_200_with_operations_then_204_and_stops_the_branch() throws Exception {
    String branchId =
        (String)
            api.createBranch(
                    "{\"branch\": {\"name\": \"to-delete\"},"
                        + " \"endpoints\": [{\"type\": \"read_write\"}]}")
                .object("branch")
                .get("id");
    String uri = neon.branch(branchId).orElseThrow().connectionUri("neondb");
    Answer deleted = api.send("DELETE", "/branches/" + branchId, null, neon.apiKey());
    assertEquals(200, deleted.status(), deleted.response().body());
    assertEquals(branchId, deleted.object("branch").get("id"));
    assertFalse(deleted.list("operations").isEmpty());
    assertEquals(204, api.send("DELETE", "/branches/" + branchId, null, neon.apiKey()).status());
    assertEquals(404, api.get("/branches/" + branchId).status());
    assertTrue(neon.wasDeleted(branchId));
    assertTrue(neon.liveBranches().stream().noneMatch(b -> b.id().equals(branchId)));
    assertThrows(SQLException.class, () -> NeonApiCalls.connect(uri).close());
  }

  @Test
  void the_project_has_no_default_branch_field_and_main_is_the_branch_marked_default()
      throws Exception {
    Answer project = api.get("");
    assertEquals(neon.projectId(), project.object("project").get("id"));
    assertFalse(project.object("project").containsKey("default_branch_id"));
    Map<String, Object> main =
        api.get("/branches").list("branches").stream()
            .filter(b -> Boolean.TRUE.equals(b.get("default")))
            .findFirst()
            .orElseThrow();
    assertEquals("main", main.get("name"));
    assertEquals(
        404,
        api.answer(api.request("GET", "/projects/no-such-project", null, neon.apiKey())).status());
    assertEquals(404, api.get("/branches/br-no-such-branch-12345678").status());
    assertEquals(
        400, api.send("DELETE", "/branches/" + main.get("id"), null, neon.apiKey()).status());
  }

  @Test
  void search_matches_names_partially() throws Exception {
    String branchId =
        (String)
            api.createBranch("{\"branch\": {\"name\": \"neon-backup-search-1\"}}")
                .object("branch")
                .get("id");
    assertEquals(
        List.of("neon-backup-search-1"), api.names(api.get("/branches?search=backup-sea")));
    assertEquals(List.of(), api.names(api.get("/branches?search=no-such-name")));
    assertEquals(
        List.of("neon-backup-search-1"),
        api.names(api.get("/branches?search=" + branchId.substring(0, 12))).stream()
            .filter(n -> n.startsWith("neon-backup-search"))
            .toList());
    api.delete(branchId);
  }

  @Test
  void expires_at_with_more_than_second_precision_or_on_an_account_without_it_is_400()
      throws Exception {
    String later =
        Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    String precise = later.replace("Z", ".123Z");
    Answer tooPrecise = api.createBranch("{\"branch\": {\"expires_at\": \"" + precise + "\"}}");
    assertEquals(400, tooPrecise.status());
    assertTrue(((String) tooPrecise.json().get("message")).contains("expires_at"));
    neon.refuseExpiresAt(true);
    try {
      Answer refused = api.createBranch("{\"branch\": {\"expires_at\": \"" + later + "\"}}");
      assertEquals(400, refused.status());
      assertTrue(((String) refused.json().get("message")).contains("expires_at"));
    } finally {
      neon.refuseExpiresAt(false);
    }
    String old = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    Answer tooOld = api.createBranch("{\"branch\": {\"parent_timestamp\": \"" + old + "\"}}");
    assertEquals(400, tooOld.status());
    assertTrue(((String) tooOld.json().get("message")).contains("parent_timestamp"));
    String recent = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    Answer created =
        api.createBranch(
            "{\"branch\": {\"name\": \"expiring\", \"expires_at\": \""
                + later
                + "\", \"parent_timestamp\": \""
                + recent
                + "\"}}");
    assertEquals(201, created.status(), created.response().body());
    assertEquals(later, created.object("branch").get("expires_at"));
    assertEquals(recent, created.object("branch").get("parent_timestamp"));
    api.delete((String) created.object("branch").get("id"));
  }

  /** The branch's id, after checking its shape and the operations of its creation. */
  private static String assertBranchCreatedFromMain(Answer created) {
    Map<String, Object> branch = created.object("branch");
    String branchId = (String) branch.get("id");
    assertTrue(branchId.matches("br-[a-z]+-[a-z]+-[a-z0-9]{8}"), branchId);
    assertEquals(neon.mainBranch().id(), branch.get("parent_id"));
    assertEquals(false, branch.get("default"));
    assertEquals(
        List.of("create_branch", "start_compute"),
        created.list("operations").stream().map(o -> o.get("action")).toList());
    return branchId;
  }

  /** The direct connection URI {@code GET /connection_uri} gives, checked against Neon's form. */
  private static String assertConnectionUri(Answer created, String branchId, String endpointId)
      throws Exception {
    String uri =
        (String)
            api.get(
                    "/connection_uri?branch_id="
                        + branchId
                        + "&database_name=neondb&role_name=neondb_owner&pooled=false")
                .json()
                .get("uri");
    assertTrue(
        uri.matches(
            "postgresql://neondb_owner:[^@]+@"
                + endpointId
                + "\\.[a-z0-9-]+\\.aws\\.neon\\.tech/neondb\\?sslmode=require"),
        uri);
    assertEquals(created.list("connection_uris").get(0).get("connection_uri"), uri);
    assertEquals(
        NeonApiCalls.password(uri),
        api.get("/branches/" + branchId + "/roles/neondb_owner/reveal_password")
            .json()
            .get("password"));
    return uri;
  }

  private static void assertDatabasesAndRoles(String branchId) throws Exception {
    assertEquals(
        List.of("neondb"),
        api.get("/branches/" + branchId + "/databases").list("databases").stream()
            .map(d -> d.get("name"))
            .toList());
    assertTrue(
        api.get("/branches/" + branchId + "/roles").list("roles").stream()
            .anyMatch(r -> r.get("name").equals("neondb_owner")));
  }

  private static void awaitOperations(Answer created) throws Exception {
    for (Map<String, Object> operation : created.list("operations")) {
      assertTrue(((String) operation.get("id")).matches("[0-9a-f-]{36}"));
      int polls = 0;
      String status;
      do {
        status =
            (String)
                api.get("/operations/" + operation.get("id")).object("operation").get("status");
        polls++;
      } while (!status.equals("finished") && polls < 20);
      assertEquals("finished", status);
      assertEquals(3, polls, "running for the first 2 polls (the default), finished at the third");
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next());
      return rows.getString(1);
    }
  }
}
