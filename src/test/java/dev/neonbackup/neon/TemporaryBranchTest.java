package dev.neonbackup.neon;

import dev.neonbackup.failure.InputException;
import static dev.neonbackup.neon.NeonExamples.BRANCHES_PATH;
import static dev.neonbackup.neon.NeonExamples.COMPUTE_OP;
import static dev.neonbackup.neon.NeonExamples.PROJECT;
import static dev.neonbackup.neon.NeonExamples.TIMELINE_OP;
import static dev.neonbackup.neon.ScriptedNeon.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.report.Secret;
import dev.neonbackup.testing.RecordingReporter;
import dev.neonbackup.testing.RecordingReporter.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The temporary branch's life against canned answers: sweep, create, wait, connect, delete. */
class TemporaryBranchTest {
  private static final Instant RUN = Instant.parse("2026-11-21T03:15:00Z");
  private static final String NAME = "neon-backup-20261121T031500Z";
  private static final String NEW = BRANCHES_PATH + "/br-new-branch-123456";
  private static final String OPERATIONS = "/projects/" + PROJECT + "/operations/";

  private final ScriptedNeon neon = new ScriptedNeon();
  private final FakeTime time = new FakeTime(RUN);
  private final RecordingReporter reporter = new RecordingReporter();
  private NeonApi api =
      new NeonApi(neon.baseUrl(), Secret.of("napi_key"), time, time, Duration.ofSeconds(10));

  private static final TemporaryBranch.Plan PLAN =
      new TemporaryBranch.Plan(PROJECT, Optional.empty(), Optional.empty(), RUN, "");

  @BeforeEach
  void script() {
    neon.on("GET " + BRANCHES_PATH, reply(200, NeonExamples.LISTED));
    neon.on(
        "GET " + OPERATIONS + COMPUTE_OP,
        reply(200, NeonExamples.operationAnswer(COMPUTE_OP, "start_compute", "finished")));
    neon.on(
        "DELETE " + NEW,
        reply(
            200,
            "{\"branch\": "
                + NeonExamples.branch("br-new-branch-123456", NAME, false, "")
                + ", \"operations\": []}"));
  }

  @AfterEach
  void stop() {
    neon.close();
  }

  private void creationSucceeds() {
    neon.on("POST " + BRANCHES_PATH, reply(201, NeonExamples.created(NAME, "running")));
    neon.on(
        "GET " + OPERATIONS + TIMELINE_OP,
        reply(200, NeonExamples.operationAnswer(TIMELINE_OP, "create_timeline", "running")),
        reply(200, NeonExamples.operationAnswer(TIMELINE_OP, "create_timeline", "finished")));
  }

  @Test
  void creates_the_branch_of_the_run_waits_for_its_operations_and_deletes_it_on_close() {
    creationSucceeds();
    TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter);
    String body = neon.requests("POST " + BRANCHES_PATH).get(0).body();
    assertEquals(
        "{\"endpoints\":[{\"type\":\"read_write\"}],\"branch\":{\"parent_id\":"
            + "\"br-aged-salad-637688\",\"name\":\""
            + NAME
            + "\",\"expires_at\":"
            + "\"2026-11-21T09:15:00Z\"}}",
        body);
    assertEquals(2, neon.requests("GET " + OPERATIONS + TIMELINE_OP).size());
    assertEquals(Optional.of(Instant.parse("2026-11-21T09:15:00Z")), branch.expiresAt());
    List<String> said = reporter.lines(Level.INFO);
    assertTrue(
        said.contains(
            "waiting for Neon to prepare branch '"
                + NAME
                + "' (br-new-branch-123456) (create_timeline, start_compute)"),
        reporter.transcript());
    assertTrue(
        said.stream().anyMatch(line -> line.endsWith("is ready after 0 s")), reporter.transcript());
    assertEquals(
        new SnapshotSource(
            PROJECT,
            "br-aged-salad-637688",
            "main",
            "br-new-branch-123456",
            NAME,
            Optional.of("0/1DE2850"),
            Optional.empty(),
            Optional.of("ep-silent-smoke-806639.us-east-2.aws.neon.tech")),
        branch.source());
    branch.close();
    branch.close();
    assertEquals(1, neon.requests("DELETE " + NEW).size());
    assertTrue(
        reporter
            .lines(Level.INFO)
            .contains("deleted the temporary Neon branch '" + NAME + "' (br-new-branch-123456)"));
    assertEquals(List.of(), reporter.lines(Level.WARN));
  }

  @Test
  void sweeps_only_the_stale_branches_of_earlier_runs_before_creating() {
    String young =
        NeonExamples.branch(
                "br-young-1",
                "neon-backup-20261121T021500Z",
                false,
                ", \"expires_at\": \"2026-11-21T08:15:00Z\"")
            .replace("2022-11-30T19:09:48Z", "2026-11-21T02:15:00Z");
    String expired =
        NeonExamples.branch(
                "br-expired-1",
                "neon-backup-20261120T021500Z",
                false,
                ", \"expires_at\": \"2026-11-20T08:15:00Z\"")
            .replace("2022-11-30T19:09:48Z", "2026-11-20T02:15:00Z");
    String old = NeonExamples.branch("br-old-1", "neon-backup-20221130T190948Z", false, "");
    String notOurs = NeonExamples.branch("br-mine-1", "neon-backup-keep", false, "");
    neon.on(
        "GET " + BRANCHES_PATH,
        reply(200, NeonExamples.LISTED),
        reply(200, NeonExamples.branches(young, expired, old, notOurs)),
        reply(200, NeonExamples.LISTED));
    neon.on("DELETE " + BRANCHES_PATH + "/br-expired-1", reply(204, ""));
    neon.on("DELETE " + BRANCHES_PATH + "/br-old-1", reply(403, NeonExamples.error("protected")));
    creationSucceeds();
    try (TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter)) {
      assertEquals(NAME, branch.branch().name());
      assertEquals("search=neon-backup-", neon.requests("GET " + BRANCHES_PATH).get(1).query());
      List<String> deleted =
          neon.requests().stream()
              .filter(r -> r.method().equals("DELETE"))
              .map(ScriptedNeon.Request::path)
              .toList();
      assertEquals(List.of(BRANCHES_PATH + "/br-expired-1", BRANCHES_PATH + "/br-old-1"), deleted);
      assertTrue(
          reporter
              .lines(Level.INFO)
              .contains(
                  "deleted branch 'neon-backup-20261120T021500Z' (br-expired-1), left by an earlier"
                      + " run (expired at 2026-11-20T08:15:00Z)"));
      String warning = reporter.lines(Level.WARN).get(0);
      assertTrue(
          warning.startsWith(
              "could not delete branch 'neon-backup-20221130T190948Z'"
                  + " (br-old-1), left by an earlier run (created 2022-11-30T19:09:48Z)"),
          warning);
    }
  }

  @Test
  void a_named_branch_asks_for_its_ttl_is_kept_on_keep_and_deleted_by_delete_only_once() {
    creationSucceeds();
    Branch parent = api.defaultBranch(PROJECT);
    TemporaryBranch kept =
        TemporaryBranch.createNamed(api, PROJECT, parent, NAME, Optional.of(Duration.ofDays(7)), reporter);
    assertTrue(
        neon.requests("POST " + BRANCHES_PATH).get(0).body().contains("\"expires_at\":\"2026-11-28T03:15:00Z\""));
    assertEquals(Optional.of(Instant.parse("2026-11-28T03:15:00Z")), kept.expiresAt());
    kept.keep();
    kept.close();
    assertFalse(kept.delete(), "a kept branch is not deleted");
    assertEquals(0, neon.requests("DELETE " + NEW).size());

    creationSucceeds();
    TemporaryBranch failed = TemporaryBranch.createNamed(api, PROJECT, parent, NAME, Optional.empty(), reporter);
    assertFalse(neon.requests("POST " + BRANCHES_PATH).get(1).body().contains("expires_at"), "no TTL: no expiry");
    assertTrue(failed.delete());
    failed.close();
    assertEquals(1, neon.requests("DELETE " + NEW).size());
  }

  /**
   * A name the user chose is not the run's own: a branch of that name that another client made
   * between the check and the create (409) is never taken, so the restore never drops a database
   * in someone else's branch, nor deletes that branch.
   */
  @Test
  void a_named_create_answered_409_at_once_never_takes_the_other_clients_branch() {
    String theirs = NeonExamples.branch("br-their-branch-999999", "tuesday-copy", false, "")
        .replace("2022-11-30T19:09:48Z", "2026-11-21T03:15:00Z");
    neon.on("GET " + BRANCHES_PATH, reply(200, NeonExamples.LISTED), reply(200, NeonExamples.branches(theirs)));
    neon.on("POST " + BRANCHES_PATH, reply(409, NeonExamples.error("branch already exists")));
    Branch parent = api.defaultBranch(PROJECT);
    // Bad input, as when the name existed at the check (exit 2), not a Neon API failure (11).
    InputException e =
        assertThrows(
            InputException.class,
            () -> TemporaryBranch.createNamed(api, PROJECT, parent, "tuesday-copy", Optional.empty(), reporter));
    assertTrue(
        e.getMessage().startsWith("target-branch 'tuesday-copy' exists in project '" + PROJECT + "'"),
        e.getMessage());
    assertEquals(1, neon.requests("POST " + BRANCHES_PATH).size());
    assertEquals(List.of(), neon.requests("DELETE " + BRANCHES_PATH + "/br-their-branch-999999"));
  }

  /**
   * After a lost answer the branch found by the name is taken only if it is the one asked for: the
   * same parent, made after the first try began. Another client's branch of the name is not.
   */
  @Test
  void a_named_create_whose_answer_was_lost_takes_only_a_branch_like_the_one_it_asked_for() {
    String otherParent =
        NeonExamples.branch("br-their-branch-999999", "tuesday-copy", false, "")
            .replace("br-aged-salad-637688", "br-sweet-breeze-497520")
            .replace("2022-11-30T19:09:48Z", "2026-11-21T03:15:00Z");
    String older = NeonExamples.branch("br-their-branch-999999", "tuesday-copy", false, "");
    for (String theirs : List.of(otherParent, older)) {
      neon.on("GET " + BRANCHES_PATH, reply(200, NeonExamples.LISTED), reply(200, NeonExamples.branches(theirs)));
      neon.on("POST " + BRANCHES_PATH, reply(503, NeonExamples.error("service unavailable")), reply(409, NeonExamples.error("branch already exists")));
      Branch parent = api.defaultBranch(PROJECT);
      InputException e =
          assertThrows(
              InputException.class,
              () -> TemporaryBranch.createNamed(api, PROJECT, parent, "tuesday-copy", Optional.empty(), reporter));
      assertTrue(e.getMessage().contains("target-branch 'tuesday-copy' exists"), e.getMessage());
      assertEquals(List.of(), neon.requests("DELETE " + BRANCHES_PATH + "/br-their-branch-999999"));
    }
  }

  @Test
  void a_named_branch_whose_ttl_the_account_refuses_is_not_made_without_it() {
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(400, NeonExamples.error("expires_at: branch expiration is not available")));
    Branch parent = api.defaultBranch(PROJECT);
    NeonException e =
        assertThrows(
            NeonException.class,
            () -> TemporaryBranch.createNamed(api, PROJECT, parent, "copy", Optional.of(Duration.ofHours(2)), reporter));
    assertTrue(e.getMessage().contains("no branch was created; give a shorter target-branch-ttl or leave it out"), e.getMessage());
    assertEquals(1, neon.requests("POST " + BRANCHES_PATH).size(), "one create, with the expiry");
  }

  @Test
  void an_expiry_the_account_refuses_is_left_out_and_said() {
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(400, NeonExamples.error("expires_at: branch expiration is not available")),
        reply(201, NeonExamples.created(NAME, "finished")));
    neon.on("DELETE " + NEW, reply(500, NeonExamples.error("internal")));
    TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter);
    List<ScriptedNeon.Request> posts = neon.requests("POST " + BRANCHES_PATH);
    assertEquals(2, posts.size());
    assertTrue(posts.get(0).body().contains("expires_at"));
    assertFalse(posts.get(1).body().contains("expires_at"), posts.get(1).body());
    assertEquals(Optional.empty(), branch.expiresAt());
    assertTrue(
        reporter.lines(Level.INFO).stream()
            .anyMatch(
                line ->
                    line.startsWith(
                        "the Neon API refused an expiry for branch '"
                            + NAME
                            + "' (HTTP 400: expires_at:")),
        reporter.transcript());
    branch.close();
    String warning = reporter.lines(Level.WARN).get(0);
    assertTrue(warning.contains("it has no expiry: delete it in the Neon console"), warning);
  }

  @Test
  void a_failed_delete_is_a_warning_that_names_the_branch_and_its_expiry() {
    creationSucceeds();
    neon.on("DELETE " + NEW, reply(500, NeonExamples.error("internal")));
    TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter);
    branch.close();
    assertEquals(
        List.of(
            "could not delete the temporary Neon branch '"
                + NAME
                + "' (br-new-branch-123456): the Neon API failed deleting branch"
                + " 'br-new-branch-123456' (HTTP 500: internal), 6 tries; Neon deletes it by itself"
                + " at 2026-11-21T09:15:00Z"),
        reporter.lines(Level.WARN));
  }

  @Test
  void a_failed_operation_fails_the_creation_and_deletes_the_branch() {
    neon.on("POST " + BRANCHES_PATH, reply(201, NeonExamples.created(NAME, "running")));
    neon.on(
        "GET " + OPERATIONS + TIMELINE_OP,
        reply(
            200,
            NeonExamples.operationAnswer(TIMELINE_OP, "create_timeline", "failed")
                .replace("\"failures_count\"", "\"error\": \"no space\", \"failures_count\"")));
    NeonException failure =
        assertThrows(NeonException.class, () -> TemporaryBranch.create(api, PLAN, reporter));
    assertEquals(
        "Neon could not prepare branch '"
            + NAME
            + "' (br-new-branch-123456): operation"
            + " create_timeline ("
            + TIMELINE_OP
            + ") failed: no space",
        failure.getMessage());
    assertEquals(1, neon.requests("DELETE " + NEW).size());
  }

  @Test
  void the_wait_is_bounded_and_the_branch_deleted_after_it() {
    FakeTime fast = new FakeTime(RUN, 12);
    api = new NeonApi(neon.baseUrl(), Secret.of("napi_key"), fast, fast, Duration.ofSeconds(10));
    neon.on("POST " + BRANCHES_PATH, reply(201, NeonExamples.created(NAME, "running")));
    neon.on(
        "GET " + OPERATIONS + TIMELINE_OP,
        reply(200, NeonExamples.operationAnswer(TIMELINE_OP, "create_timeline", "running")));
    NeonException failure =
        assertThrows(NeonException.class, () -> TemporaryBranch.create(api, PLAN, reporter));
    assertTrue(
        failure
            .getMessage()
            .contains("within 10 min (still waiting for create_timeline" + " running)"),
        failure.getMessage());
    Duration waited = Duration.between(RUN, fast.instant());
    assertTrue(
        waited.compareTo(Duration.ofMinutes(10)) >= 0
            && waited.compareTo(Duration.ofMinutes(11)) <= 0,
        waited.toString());
    assertEquals(1, neon.requests("DELETE " + NEW).size());
  }

  @Test
  void branches_the_named_parent_at_the_snapshot_timestamp() {
    creationSucceeds();
    Instant at = Instant.parse("2026-11-20T12:00:00Z");
    TemporaryBranch.Plan plan =
        new TemporaryBranch.Plan(PROJECT, Optional.of("dev2"), Optional.of(at), RUN, "");
    try (TemporaryBranch branch = TemporaryBranch.create(api, plan, reporter)) {
      String body = neon.requests("POST " + BRANCHES_PATH).get(0).body();
      assertTrue(
          body.contains(
              "\"parent_id\":\"br-sweet-breeze-497520\",\"parent_timestamp\":"
                  + "\"2026-11-20T12:00:00Z\""),
          body);
      assertEquals("dev2", branch.source().parentBranchName());
      assertEquals(Optional.of(at), branch.source().parentTimestamp());
    }
  }

  @Test
  void a_branch_found_by_name_after_a_lost_answer_is_waited_for_by_its_state() {
    api = new NeonApi(neon.baseUrl(), Secret.of("napi_key"), time, time, Duration.ofMillis(300));
    String ours =
        NeonExamples.branch("br-new-branch-123456", NAME, false, "")
            .replace("2022-11-30T19:09:48Z", "2026-11-21T03:15:00Z");
    neon.on(
        "GET " + BRANCHES_PATH,
        reply(200, NeonExamples.LISTED),
        reply(200, NeonExamples.LISTED),
        reply(200, NeonExamples.branches(ours)));
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(201, NeonExamples.created(NAME, "running")).after(Duration.ofSeconds(2)));
    neon.on(
        "GET " + NEW,
        reply(200, "{\"branch\": " + ours.replace("\"ready\"", "\"init\"") + "}"),
        reply(200, "{\"branch\": " + ours + "}"));
    neon.on(
        "GET " + NEW + "/endpoints",
        reply(200, "{\"endpoints\": [" + NeonExamples.ENDPOINT + "]}"));
    try (TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter)) {
      assertEquals(1, neon.requests("POST " + BRANCHES_PATH).size());
      assertEquals(2, neon.requests("GET " + NEW).size());
      assertEquals(
          Optional.of("ep-silent-smoke-806639.us-east-2.aws.neon.tech"),
          branch.source().endpointHost());
    }
  }

  @Test
  void a_third_create_without_an_answer_is_looked_up_and_deleted_not_leaked() {
    // Every POST is carried out (Neon made the branch) but its answer never arrives in time.
    api = new NeonApi(neon.baseUrl(), Secret.of("napi_key"), time, time, Duration.ofMillis(300));
    String ours =
        NeonExamples.branch("br-new-branch-123456", NAME, false, "")
            .replace("2022-11-30T19:09:48Z", "2026-11-21T03:15:00Z");
    neon.on(
        "GET " + BRANCHES_PATH,
        reply(200, NeonExamples.LISTED), // default branch
        reply(200, NeonExamples.LISTED), // sweep
        reply(200, NeonExamples.LISTED), // lookup after create 1
        reply(200, NeonExamples.LISTED), // lookup after create 2
        reply(200, NeonExamples.branches(ours))); // create 3 was carried out
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(201, NeonExamples.created(NAME, "running")).after(Duration.ofSeconds(2)));
    neon.on("GET " + NEW, reply(200, "{\"branch\": " + ours + "}"));
    neon.on("GET " + NEW + "/endpoints", reply(200, "{\"endpoints\": [" + NeonExamples.ENDPOINT + "]}"));
    try {
      TemporaryBranch.create(api, PLAN, reporter).close();
    } catch (NeonException e) {
      // a failure is fine, as long as the branch the last create made is not left behind
    }
    assertEquals(3, neon.requests("POST " + BRANCHES_PATH).size());
    assertEquals(
        1,
        neon.requests("DELETE " + NEW).size(),
        "the branch the third create made is never looked up nor deleted: " + neon.requests());
  }

  @Test
  void a_409_after_a_503_create_is_our_branch_not_a_final_failure() {
    // The 503'd create was carried out; the retry (sent without a lookup) gets 409.
    String ours =
        NeonExamples.branch("br-new-branch-123456", NAME, false, "")
            .replace("2022-11-30T19:09:48Z", "2026-11-21T03:15:00Z");
    neon.on(
        "GET " + BRANCHES_PATH,
        reply(200, NeonExamples.LISTED),
        reply(200, NeonExamples.LISTED),
        reply(200, NeonExamples.branches(ours)));
    neon.on(
        "POST " + BRANCHES_PATH,
        reply(503, NeonExamples.error("service unavailable")),
        reply(409, NeonExamples.error("branch already exists")));
    neon.on("GET " + NEW, reply(200, "{\"branch\": " + ours + "}"));
    neon.on("GET " + NEW + "/endpoints", reply(200, "{\"endpoints\": [" + NeonExamples.ENDPOINT + "]}"));
    try {
      TemporaryBranch.create(api, PLAN, reporter).close();
    } catch (NeonException e) {
      // fine if the branch is not left behind
    }
    assertEquals(2, neon.requests("POST " + BRANCHES_PATH).size());
    assertEquals(1, neon.requests("DELETE " + NEW).size(), "branch leaked: " + neon.requests());
  }

  @Test
  void connects_with_the_given_password_or_neon_s() {
    creationSucceeds();
    neon.on(
        "GET /projects/" + PROJECT + "/connection_uri",
        reply(
            200,
            "{\"uri\": \"postgresql://casey@ep-silent-smoke-806639.us-east-2.aws.neon.tech/main"
                + "?sslmode=require\"}"));
    neon.on("GET " + NEW + "/roles/casey/reveal_password", reply(200, "{\"password\": \"pw2\"}"));
    try (TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter)) {
      ConnectionString given =
          branch.connectionString("main", "casey", Optional.of(Secret.of("x")));
      assertEquals(Optional.of(Secret.of("x")), given.password());
      assertEquals(0, neon.requests("GET " + NEW + "/roles/casey/reveal_password").size());
      ConnectionString revealed = branch.connectionString("main", "casey", Optional.empty());
      assertEquals(Optional.of(Secret.of("pw2")), revealed.password());
      assertEquals(Optional.of("main"), revealed.database());
    }
  }

  @Test
  void discovers_the_branch_s_databases_with_their_owners() {
    creationSucceeds();
    neon.on("GET " + NEW + "/databases", reply(200, NeonExamples.DATABASES));
    try (TemporaryBranch branch = TemporaryBranch.create(api, PLAN, reporter)) {
      assertEquals(
          List.of(new Database("main", "casey"), new Database("mydb", "casey")),
          branch.databases());
    }
  }

  @Test
  void polls_start_at_half_a_second_and_grow_to_five() {
    List<Long> millis =
        List.of(1, 2, 3, 4, 5, 50).stream()
            .map(p -> OperationWait.pollPause(p).toMillis())
            .toList();
    assertEquals(List.of(500L, 1000L, 2000L, 4000L, 5000L, 5000L), millis);
  }

  @Test
  void discovery_leaves_out_neon_s_own_databases() {
    List<Database> listed =
        List.of(
            new Database("neondb", "neondb_owner"),
            new Database("postgres", "cloud_admin"),
            new Database("template1", "neondb_owner"),
            new Database("app", "casey"));
    assertEquals(
        List.of(new Database("neondb", "neondb_owner"), new Database("app", "casey")),
        BranchDatabases.usersOnly(listed));
  }
}
