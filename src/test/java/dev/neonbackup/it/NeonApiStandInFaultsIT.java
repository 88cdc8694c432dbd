package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.it.NeonApiCalls.Answer;
import dev.neonbackup.testing.NeonApiRequest;
import dev.neonbackup.testing.NeonApiStandIn;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Neon API stand-in's refusals and scripted faults as a client sees them: 401 for a wrong key,
 * scripted 429, 423 and 422 answers, and a create whose answer is late or lost although the branch
 * exists.
 */
class NeonApiStandInFaultsIT {
  private static NeonApiStandIn neon;
  private static NeonApiCalls api;

  @BeforeAll
  static void startStandIn() {
    neon = NeonApiStandIn.start();
    api = new NeonApiCalls(neon);
  }

  @AfterAll
  static void stopStandIn() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void a_wrong_or_missing_key_is_401_and_every_request_is_recorded() throws Exception {
    Answer wrong = api.send("GET", "", null, neon.apiKey() + "x");
    assertEquals(401, wrong.status());
    assertTrue(wrong.json().containsKey("message") && wrong.json().containsKey("code"));
    assertEquals(401, api.send("GET", "/branches", null, null).status());
    NeonApiRequest last = neon.requests().get(neon.requests().size() - 1);
    assertEquals("GET", last.method());
    assertEquals("/projects/" + neon.projectId() + "/branches", last.path());
    assertNull(last.authorization());
  }

  @Test
  void a_scripted_429_with_retry_after_is_answered_first_then_the_branch_is_created()
      throws Exception {
    neon.failNextWithError(
        "POST",
        "/projects/[^/]+/branches",
        429,
        Map.of("Retry-After", "1"),
        "rate limit exceeded",
        1);
    Answer limited = api.createBranch("{\"branch\": {\"name\": \"after-429\"}}");
    assertEquals(429, limited.status());
    assertEquals("1", limited.response().headers().firstValue("Retry-After").orElseThrow());
    assertEquals("rate limit exceeded", limited.json().get("message"));
    Answer created = api.createBranch("{\"branch\": {\"name\": \"after-429\"}}");
    assertEquals(201, created.status(), created.response().body());
    assertEquals(List.of(), created.list("endpoints"));
    neon.failNext(
        "GET", "/projects/[^/]+/branches", 423, Map.of("Retry-After", "2"), "{\"code\": \"\"}", 1);
    Answer locked = api.get("/branches");
    assertEquals(423, locked.status());
    assertEquals("2", locked.response().headers().firstValue("Retry-After").orElseThrow());
    assertEquals(200, api.get("/branches").status());
    api.delete((String) created.object("branch").get("id"));
    int before = neon.liveBranches().size();
    neon.failNextWithError(
        "POST",
        "/projects/[^/]+/branches",
        422,
        Map.of(),
        NeonApiStandIn.BRANCHES_LIMIT_MESSAGE,
        1);
    Answer limit = api.createBranch("{\"branch\": {\"name\": \"over-the-limit\"}}");
    assertEquals(422, limit.status());
    assertEquals(NeonApiStandIn.BRANCHES_LIMIT_MESSAGE, limit.json().get("message"));
    assertEquals(before, neon.liveBranches().size());
  }

  @Test
  void a_create_whose_answer_comes_too_late_still_makes_the_branch() throws Exception {
    neon.delayNextCreateResponse(Duration.ofSeconds(5));
    HttpRequest request =
        api.request(
                "POST",
                api.projectPath("/branches"),
                "{\"branch\": {\"name\": \"late-answer\"}}",
                neon.apiKey())
            .timeout(Duration.ofSeconds(1))
            .build();
    assertThrows(
        HttpTimeoutException.class,
        () -> api.http().send(request, HttpResponse.BodyHandlers.ofString()));
    List<String> found = new ArrayList<>();
    for (int attempt = 0; attempt < 100 && found.isEmpty(); attempt++) {
      found.addAll(api.names(api.get("/branches?search=late-answer")));
      Thread.sleep(100);
    }
    assertEquals(List.of("late-answer"), found);
    Answer again = api.createBranch("{\"branch\": {\"name\": \"late-answer\"}}");
    assertEquals(409, again.status(), again.response().body());
    assertEquals("branch already exists", again.json().get("message"));
    neon.dropNextCreateResponse();
    assertThrows(
        IOException.class,
        () ->
            api.http()
                .send(
                    api.request(
                            "POST",
                            api.projectPath("/branches"),
                            "{\"branch\": {\"name\": \"lost-answer\"}}",
                            neon.apiKey())
                        .build(),
                    HttpResponse.BodyHandlers.ofString()));
    assertEquals(List.of("lost-answer"), api.names(api.get("/branches?search=lost-answer")));
    for (String name : List.of("late-answer", "lost-answer")) {
      api.delete(
          neon.liveBranches().stream()
              .filter(b -> b.name().equals(name))
              .findFirst()
              .orElseThrow()
              .id());
    }
  }
}
