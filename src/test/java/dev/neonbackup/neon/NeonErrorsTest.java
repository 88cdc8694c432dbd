package dev.neonbackup.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.neon.Call.Subject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NeonErrorsTest {
  private static final Call LIST =
      Call.get("/projects/p/branches", "listing the branches of project 'p'", Subject.PROJECT, "p");
  private static final Call READ =
      Call.get("/projects/p/branches/br-x", "reading branch 'br-x'", Subject.BRANCH, "br-x");
  private static final Call CREATE_AT =
      new Call(
          "POST",
          "/projects/p/branches",
          "creating branch 'b' in project 'p'",
          Subject.PROJECT,
          "p",
          Optional.of("2026-11-01T00:00:00Z"));
  private static final Call CREATE =
      new Call(
          "POST",
          "/projects/p/branches",
          "creating branch 'b' in project 'p'",
          Subject.PROJECT,
          "p",
          Optional.empty());

  @Test
  void a_401_names_the_key_input() {
    assertEquals(
        "neon-api-key was refused by the Neon API while listing the branches of project 'p'"
            + " (HTTP 401: authentication required): set a valid API key (a secret in the"
            + " action's with: block, or --neon-api-key)",
        NeonErrors.answered(LIST, 401, "authentication required", 1));
  }

  @Test
  void a_403_names_the_key_and_the_project() {
    String message = NeonErrors.answered(LIST, 403, "", 1);
    assertTrue(message.startsWith("neon-api-key may not be used for listing"), message);
    assertTrue(message.contains("neon-project-id"), message);
  }

  @Test
  void a_404_names_the_input_the_call_was_about() {
    assertEquals(
        "neon-project-id: the Neon API found no project 'p' that this key can see"
            + " (HTTP 404: project not found): check neon-project-id",
        NeonErrors.answered(LIST, 404, "project not found", 1));
    assertEquals(
        "neon-branch: the Neon API found no branch 'br-x' that this key can see (HTTP 404):"
            + " check neon-branch (a branch id br-... or a branch name)",
        NeonErrors.answered(READ, 404, "", 1));
  }

  @Test
  void a_404_about_what_the_program_chose_names_it_without_an_input() {
    Call role = Call.get("/x", "revealing the password of role 'casey'", Subject.ROLE, "casey");
    assertEquals(
        "the Neon API found no role 'casey' while revealing the password of role 'casey'"
            + " (HTTP 404: role not found)",
        NeonErrors.answered(role, 404, "role not found", 1));
  }

  @Test
  void a_limit_says_which_by_quoting_neon() {
    assertEquals(
        "a Neon limit was reached while creating branch 'b' in project 'p'"
            + " (HTTP 422: branches limit exceeded: 10)",
        NeonErrors.answered(CREATE, 422, "branches limit exceeded: 10", 1));
    assertTrue(
        NeonErrors.answered(LIST, 409, "Too many branches in project", 1)
            .startsWith("a Neon limit was reached"));
  }

  @Test
  void a_timestamp_outside_the_restore_window_names_snapshot_timestamp() {
    String message =
        NeonErrors.answered(
            CREATE_AT, 400, "timestamp is before the project's history retention window", 1);
    assertTrue(
        message.startsWith(
            "snapshot-timestamp 2026-11-01T00:00:00Z is outside the project's restore window"
                + " (HTTP 400: timestamp is before"),
        message);
    assertFalse(
        NeonErrors.answered(CREATE, 400, "timestamp is before", 1).contains("snapshot-timestamp"));
  }

  @Test
  void a_server_failure_says_how_often_it_was_tried() {
    assertEquals(
        "the Neon API failed listing the branches of project 'p' (HTTP 503: busy), 6 tries",
        NeonErrors.answered(LIST, 503, "busy", 6));
    assertEquals(
        "the Neon API refused listing the branches of project 'p' (HTTP 400: bad cursor)",
        NeonErrors.answered(LIST, 400, "bad cursor", 1));
  }

  @Test
  void no_answer_names_the_url_input() {
    assertEquals(
        "no answer from the Neon API at console.neon.tech while listing the branches of project"
            + " 'p' (cannot connect, 1 try): check neon-api-url and the network",
        NeonErrors.noAnswer(LIST, "cannot connect", "console.neon.tech", 1));
  }

  @Test
  void neon_s_words_are_quoted_on_one_line_and_not_too_long() {
    assertEquals("(HTTP 500: a b c)", NeonErrors.quote(500, "a\nb\r\n\tc\n"));
    String quoted = NeonErrors.quote(500, "x".repeat(1000));
    assertEquals("(HTTP 500: " + "x".repeat(300) + "...)", quoted);
  }

  @Test
  void a_refused_expiry_is_a_400_or_422_that_mentions_expires_at() {
    assertTrue(NeonErrors.refusesExpiry(400, "expires_at: feature not available"));
    assertTrue(NeonErrors.refusesExpiry(422, "field EXPIRES_AT is not allowed"));
    assertFalse(NeonErrors.refusesExpiry(403, "expires_at: forbidden"));
    assertFalse(NeonErrors.refusesExpiry(422, "branches limit exceeded"));
  }
}
