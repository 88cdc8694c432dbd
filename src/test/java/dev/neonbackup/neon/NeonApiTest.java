package dev.neonbackup.neon;

import static dev.neonbackup.neon.NeonExamples.BRANCHES_PATH;
import static dev.neonbackup.neon.NeonExamples.PROJECT;
import static dev.neonbackup.neon.ScriptedNeon.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.report.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against canned answers from the OpenAPI description's examples. */
class NeonApiTest {
  private static final String KEY = "napi_k3y/0123+456789%abcdef";
  private static final String NAME = "neon-backup-20261121T031500Z";
  private static final BranchRequest REQUEST =
      new BranchRequest(
          Optional.of("br-aged-salad-637688"),
          Optional.empty(),
          NAME,
          Optional.of(Instant.parse("2026-11-21T09:15:00Z")));

  private final ScriptedNeon neon = new ScriptedNeon();
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-21T03:15:00Z"));
  private NeonApi api = api(Duration.ofSeconds(10));

  private NeonApi api(Duration timeout) {
    return new NeonApi(neon.baseUrl(), Secret.of(KEY), time, time, timeout);
  }

  @AfterEach
  void stop() {
    neon.close();
  }

  @Test
  void a_429_then_201_is_retried_after_the_retry_after_it_asked_for() {
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(429, NeonExamples.error("rate limit exceeded")).with("Retry-After", "3"),
        reply(201, NeonExamples.created(NAME, "running")));
    CreatedBranch created = api.createBranch(PROJECT, REQUEST);
    assertEquals("br-new-branch-123456", created.branch().id());
    assertEquals(
        List.of("create_timeline", "start_compute"),
        created.operations().stream().map(Operation::action).toList());
    assertEquals(
        "ep-silent-smoke-806639.us-east-2.aws.neon.tech", created.endpoints().get(0).host());
    assertEquals(List.of(Duration.ofSeconds(3)), time.pauses());
    List<ScriptedNeon.Request> posts = neon.requests("POST " + BRANCHES_PATH);
    assertEquals(2, posts.size());
    assertEquals("Bearer " + KEY, posts.get(1).authorization());
    assertTrue(posts.get(1).body().contains("\"expires_at\":\"2026-11-21T09:15:00Z\""));
  }

  @Test
  void a_401_names_neon_api_key_and_never_prints_the_key_even_when_neon_echoes_it() {
    String encoded = URLEncoder.encode(KEY, StandardCharsets.UTF_8);
    neon.on(
        "GET /projects/" + encoded.replace("+", "%20") + "/branches",
        reply(401, NeonExamples.error("invalid key '" + KEY + "' (" + encoded + ")")));
    // The key given as the project id by mistake: it is in the path and in Neon's answer.
    NeonException failure =
        assertThrows(NeonException.class, () -> api.listBranches(KEY, Optional.empty()));
    assertEquals(401, failure.status());
    assertTrue(
        failure.getMessage().startsWith("neon-api-key was refused by the Neon API"),
        failure.getMessage());
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    for (String said : List.of(failure.getMessage(), failure.neonMessage(), trace.toString())) {
      assertFalse(said.contains(KEY), said);
      assertFalse(said.contains(encoded), said);
      assertFalse(said.contains("k3y"), said);
    }
    assertEquals(1, neon.requests().size(), "a 401 is not retried");
  }

  @Test
  void a_post_that_timed_out_is_looked_for_by_name_and_not_created_again() {
    api = api(Duration.ofMillis(300));
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(201, NeonExamples.created(NAME, "finished")).after(Duration.ofSeconds(2)));
    neon.on(
        "GET " + BRANCHES_PATH,
        reply(
            200,
            NeonExamples.branches(
                NeonExamples.branch("br-other-1", NAME + "-copy", false, ""),
                NeonExamples.branch("br-new-branch-123456", NAME, false, ""))));
    CreatedBranch created = api.createBranch(PROJECT, REQUEST);
    assertTrue(created.recovered());
    assertEquals("br-new-branch-123456", created.branch().id());
    assertEquals(1, neon.requests("POST " + BRANCHES_PATH).size());
    assertEquals("search=" + NAME, neon.requests("GET " + BRANCHES_PATH).get(0).query());
  }

  @Test
  void a_post_that_got_a_502_and_made_nothing_is_sent_again() {
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(502, NeonExamples.error("bad gateway")),
        reply(201, NeonExamples.created(NAME, "running")));
    neon.on("GET " + BRANCHES_PATH, reply(200, NeonExamples.LISTED));
    CreatedBranch created = api.createBranch(PROJECT, REQUEST);
    assertFalse(created.recovered());
    assertEquals(2, neon.requests("POST " + BRANCHES_PATH).size());
    assertEquals(1, neon.requests("GET " + BRANCHES_PATH).size());
  }

  @Test
  void a_refusal_of_the_creation_is_not_retried_and_quotes_the_limit() {
    neon.on("POST " + BRANCHES_PATH, reply(422, NeonExamples.error("branches limit exceeded")));
    NeonException failure =
        assertThrows(NeonException.class, () -> api.createBranch(PROJECT, REQUEST));
    assertEquals(
        "a Neon limit was reached while creating branch '"
            + NAME
            + "' in project '"
            + PROJECT
            + "' (HTTP 422: branches limit exceeded)",
        failure.getMessage());
    assertEquals(1, neon.requests().size());
  }

  @Test
  void a_503_on_a_get_is_retried_until_the_tries_are_used_up() {
    neon.on("GET " + BRANCHES_PATH, reply(503, NeonExamples.error("unavailable")));
    NeonException failure =
        assertThrows(NeonException.class, () -> api.listBranches(PROJECT, Optional.empty()));
    assertTrue(
        failure.getMessage().endsWith("(HTTP 503: unavailable), 6 tries"), failure.getMessage());
    assertEquals(
        List.of(1L, 2L, 4L, 8L, 16L), time.pauses().stream().map(Duration::toSeconds).toList());
  }

  @Test
  void no_answer_names_neon_api_url() {
    NeonApi nowhere =
        new NeonApi(
            NeonInputs.apiUrl(Optional.of("http://127.0.0.1:9/api/v2")),
            Secret.of(KEY),
            time,
            time,
            Duration.ofSeconds(2));
    NeonException failure =
        assertThrows(NeonException.class, () -> nowhere.branch(PROJECT, "br-x"));
    assertTrue(
        failure.getMessage().startsWith("no answer from the Neon API at 127.0.0.1"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("check neon-api-url"), failure.getMessage());
    assertEquals(5, time.pauses().size());
  }

  @Test
  void delete_answers_whether_neon_deleted_it_and_a_204_is_fine() {
    neon.on(
        "DELETE " + BRANCHES_PATH + "/br-new-branch-123456",
        reply(
            200,
            "{\"branch\": "
                + NeonExamples.branch("br-new-branch-123456", NAME, false, "")
                + ", \"operations\": []}"),
        reply(204, ""));
    assertTrue(api.deleteBranch(PROJECT, "br-new-branch-123456", false));
    assertFalse(api.deleteBranch(PROJECT, "br-new-branch-123456", false));
  }

  @Test
  void finds_a_branch_by_id_or_by_its_exact_name() {
    neon.on("GET " + BRANCHES_PATH, reply(200, NeonExamples.LISTED));
    neon.on(
        "GET " + BRANCHES_PATH + "/br-raspy-hill-832856",
        reply(
            200,
            "{\"branch\": "
                + NeonExamples.branch("br-raspy-hill-832856", "dev1", false, "")
                + "}"));
    assertEquals("dev1", api.findBranch(PROJECT, "br-raspy-hill-832856").name());
    assertEquals("br-sweet-breeze-497520", api.findBranch(PROJECT, "dev2").id());
    assertEquals("search=dev2", neon.requests("GET " + BRANCHES_PATH).get(0).query());
    NeonException none = assertThrows(NeonException.class, () -> api.findBranch(PROJECT, "dev"));
    assertTrue(
        none.getMessage()
            .startsWith("neon-branch: project '" + PROJECT + "' has no branch named 'dev'"),
        none.getMessage());
    assertEquals("br-aged-salad-637688", api.defaultBranch(PROJECT).id());
  }

  @Test
  void a_key_given_as_the_branch_name_is_not_printed() {
    neon.on("GET " + BRANCHES_PATH, reply(200, NeonExamples.LISTED));
    NeonException none = assertThrows(NeonException.class, () -> api.findBranch(PROJECT, KEY));
    assertTrue(none.getMessage().startsWith("neon-branch: project"), none.getMessage());
    assertFalse(none.getMessage().contains(KEY), none.getMessage());
  }

  @Test
  void a_missing_branch_id_names_neon_branch() {
    neon.on("GET " + BRANCHES_PATH + "/br-gone-1", reply(404, NeonExamples.error("not found")));
    NeonException failure =
        assertThrows(NeonException.class, () -> api.findBranch(PROJECT, "br-gone-1"));
    assertTrue(
        failure.getMessage().startsWith("neon-branch: the Neon API found no branch"),
        failure.getMessage());
  }

  @Test
  void follows_the_pages_of_the_branch_list() {
    String first =
        NeonExamples.branches(NeonExamples.MAIN)
            .replace("\"sort_by\"", "\"next\": \"c2\", \"sort_by\"");
    String second = NeonExamples.branches(NeonExamples.branch("br-b-2", "b", false, ""));
    neon.on("GET " + BRANCHES_PATH, reply(200, first), reply(200, second));
    assertEquals(
        List.of("main", "b"),
        api.listBranches(PROJECT, Optional.empty()).stream().map(Branch::name).toList());
    assertEquals("cursor=c2", neon.requests().get(1).query());
  }

  @Test
  void lists_databases_with_owners_and_roles() {
    String branch = BRANCHES_PATH + "/br-aged-salad-637688";
    neon.on("GET " + branch + "/databases", reply(200, NeonExamples.DATABASES));
    neon.on("GET " + branch + "/roles", reply(200, NeonExamples.ROLES));
    assertEquals(
        List.of(new Database("main", "casey"), new Database("mydb", "casey")),
        api.databases(PROJECT, "br-aged-salad-637688"));
    assertEquals(
        List.of(new Role("casey", false), new Role("thomas", false)),
        api.roles(PROJECT, "br-aged-salad-637688"));
  }

  @Test
  void the_connection_string_is_the_direct_one_for_the_database_and_role() {
    neon.on(
        "GET /projects/" + PROJECT + "/connection_uri",
        reply(
            200,
            "{\"uri\":"
                + " \"postgresql://casey:pw1@ep-silent-smoke-806639.us-east-2.aws.neon.tech/my%20db"
                + "?sslmode=require&channel_binding=require\"}"));
    ConnectionString connection = api.connectionString(PROJECT, "br-x", "my db", "casey");
    assertEquals(
        Optional.of("ep-silent-smoke-806639.us-east-2.aws.neon.tech"),
        connection.parameter("host"));
    assertEquals(Optional.of(Secret.of("pw1")), connection.password());
    assertEquals(
        "branch_id=br-x&database_name=my%20db&role_name=casey&pooled=false",
        neon.requests().get(0).query());
  }

  @Test
  void a_connection_uri_that_is_not_one_is_a_neon_failure_that_does_not_quote_it() {
    neon.on(
        "GET /projects/" + PROJECT + "/connection_uri",
        reply(200, "{\"uri\": \"mysql://casey:pw1@host/db\"}"));
    NeonException failure =
        assertThrows(
            NeonException.class, () -> api.connectionString(PROJECT, "br-x", "db", "casey"));
    assertFalse(failure.getMessage().contains("pw1"), failure.getMessage());
    assertTrue(
        failure.getMessage().startsWith("the Neon API's connection URI"), failure.getMessage());
  }

  @Test
  void reveals_a_role_s_password_as_a_secret() {
    neon.on(
        "GET " + BRANCHES_PATH + "/br-x/roles/casey/reveal_password",
        reply(200, "{\"password\": \"mypass\"}"));
    Secret password = api.revealPassword(PROJECT, "br-x", "casey");
    assertEquals("mypass", password.reveal());
    assertEquals("***", password.toString());
  }
}
