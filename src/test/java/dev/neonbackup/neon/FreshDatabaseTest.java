package dev.neonbackup.neon;

import static dev.neonbackup.neon.NeonExamples.BRANCHES_PATH;
import static dev.neonbackup.neon.NeonExamples.PROJECT;
import static dev.neonbackup.neon.ScriptedNeon.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.report.Secret;
import dev.neonbackup.testing.RecordingReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dropping and creating a branch's database, as the OpenAPI file has the calls, against canned answers. */
class FreshDatabaseTest {
  private static final String BRANCH = BRANCHES_PATH + "/br-new-branch-123456";
  private static final String APPLY = "c1e2d3f4-0000-4000-8000-000000000001";
  private static final String OPERATION = "/projects/" + PROJECT + "/operations/" + APPLY;

  private final ScriptedNeon neon = new ScriptedNeon();
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-21T03:15:00Z"));
  private final RecordingReporter reporter = new RecordingReporter();
  private final NeonApi api = new NeonApi(neon.baseUrl(), Secret.of("napi_key"), time, time, Duration.ofSeconds(10));
  private final Branch branch =
      new Branch("br-new-branch-123456", "copy", Optional.empty(), Optional.empty(), Optional.empty(),
          false, false, "ready", Optional.empty(), Optional.empty());

  @AfterEach
  void stop() {
    neon.close();
  }

  private static String changed(String status) {
    return "{\"database\": {\"id\": 1, \"branch_id\": \"br-new-branch-123456\", \"name\": \"my db\","
        + " \"owner_name\": \"casey\"}, \"operations\": ["
        + NeonExamples.operation(APPLY, "apply_config", status) + "]}";
  }

  @Test
  void drops_then_creates_the_database_with_its_owner_waiting_for_each_operation() {
    neon.on("DELETE " + BRANCH + "/databases/my%20db", reply(200, changed("running")));
    neon.on("POST " + BRANCH + "/databases", reply(201, changed("running")));
    neon.on(
        "GET " + OPERATION,
        reply(200, NeonExamples.operationAnswer(APPLY, "apply_config", "finished")),
        reply(200, NeonExamples.operationAnswer(APPLY, "apply_config", "finished")));

    FreshDatabase.recreate(api, PROJECT, branch, "my db", "casey", reporter);

    assertEquals(1, neon.requests("DELETE " + BRANCH + "/databases/my%20db").size());
    assertEquals(
        "{\"database\":{\"name\":\"my db\",\"owner_name\":\"casey\"}}",
        neon.requests("POST " + BRANCH + "/databases").get(0).body());
    assertEquals(2, neon.requests("GET " + OPERATION).size(), "each change was waited for");
  }

  @Test
  void a_database_the_branch_lacks_is_only_created() {
    neon.on("DELETE " + BRANCH + "/databases/ledger", reply(204, ""));
    neon.on("POST " + BRANCH + "/databases", reply(201, changed("finished")));
    FreshDatabase.recreate(api, PROJECT, branch, "ledger", "casey", reporter);
    assertEquals(1, neon.requests("POST " + BRANCH + "/databases").size());
  }

  @Test
  void a_refused_creation_is_exit_11_quoting_neon() {
    neon.on("DELETE " + BRANCH + "/databases/ledger", reply(204, ""));
    neon.on("POST " + BRANCH + "/databases", reply(422, NeonExamples.error("role casey does not exist")));
    NeonException e =
        assertThrows(NeonException.class, () -> FreshDatabase.recreate(api, PROJECT, branch, "ledger", "casey", reporter));
    assertTrue(e.getMessage().contains("creating database 'ledger' owned by 'casey'"), e.getMessage());
    assertTrue(e.getMessage().contains("role casey does not exist"), e.getMessage());
  }
}
