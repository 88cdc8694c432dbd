package dev.neonbackup.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NeonInputsTest {
  private static final Instant NOW = Instant.parse("2026-11-21T03:15:00Z");

  /** The Console is on the API's host: Neon's own for its API, the other one's for another. */
  @Test
  void the_console_url_is_on_the_apis_host() {
    assertEquals(
        "https://console.neon.tech/app/projects/shiny-cloud-1/branches/br-a-1",
        NeonInputs.consoleUrl(java.net.URI.create(NeonApi.DEFAULT_URL), "shiny-cloud-1", "br-a-1"));
    assertEquals(
        "http://127.0.0.1:8080/app/projects/shiny-cloud-1/branches/br-a-1",
        NeonInputs.consoleUrl(java.net.URI.create("http://127.0.0.1:8080/api/v2"), "shiny-cloud-1", "br-a-1"));
  }

  @Test
  void a_project_id_is_what_the_api_s_paths_take() {
    assertEquals("shiny-wind-028834", NeonInputs.projectId(" shiny-wind-028834 "));
    for (String bad : List.of("", "Shiny-Wind", "shiny_wind", "a/b", "x".repeat(61))) {
      InputException e = assertThrows(InputException.class, () -> NeonInputs.projectId(bad));
      assertTrue(e.getMessage().startsWith("neon-project-id must be a Neon project id"), bad);
    }
  }

  @Test
  void a_new_branch_name_is_1_to_256_characters_without_control_characters_and_not_an_id() {
    assertEquals("tuesday copy", NeonInputs.newBranchName(" tuesday copy "));
    assertEquals("x".repeat(256), NeonInputs.newBranchName("x".repeat(256)));
    assertEquals("données-äöü", NeonInputs.newBranchName("données-äöü"));
    for (String bad :
        List.of("", "   ", "x".repeat(257), "a\nb", "a\tb", "a\u0000b", "a\u007fb", "a\u200bb", "br-aged-salad-637688")) {
      InputException e = assertThrows(InputException.class, () -> NeonInputs.newBranchName(bad));
      assertTrue(e.getMessage().startsWith("target-branch must be a new branch name of 1 to 256"), e.getMessage());
      assertFalse(!bad.isBlank() && e.getMessage().contains(bad), "the name is not quoted");
    }
  }

  @Test
  void a_key_pasted_into_the_project_id_or_branch_is_not_quoted() {
    String key = "napi_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    InputException project = assertThrows(InputException.class, () -> NeonInputs.projectId(key));
    assertFalse(project.getMessage().contains(key));
    InputException branch =
        assertThrows(InputException.class, () -> NeonInputs.branch(key.repeat(5)));
    assertFalse(branch.getMessage().contains(key));
  }

  @Test
  void a_branch_is_an_id_or_a_name() {
    assertEquals("br-aged-salad-637688", NeonInputs.branch("br-aged-salad-637688"));
    assertEquals("main", NeonInputs.branch(" main "));
    assertEquals("Feature Branch/1", NeonInputs.branch("Feature Branch/1"));
    for (String bad : List.of("", "  ", "br-Aged", "br-", "x".repeat(257))) {
      InputException e = assertThrows(InputException.class, () -> NeonInputs.branch(bad));
      assertTrue(e.getMessage().startsWith("neon-branch must be a branch id"), bad);
    }
  }

  @Test
  void a_snapshot_timestamp_is_rfc_3339_with_an_offset_and_not_in_the_future() {
    assertEquals(
        Instant.parse("2026-11-20T12:00:00Z"),
        NeonInputs.snapshotTimestamp("2026-11-20T12:00:00Z", NOW));
    assertEquals(
        Instant.parse("2026-11-20T11:00:00Z"),
        NeonInputs.snapshotTimestamp("2026-11-20t12:00:00+01:00", NOW));
    assertEquals(NOW, NeonInputs.snapshotTimestamp("2026-11-21T03:15:00Z", NOW));
    for (String bad : List.of("2026-11-20", "2026-11-20T12:00:00", "yesterday", "1700000000")) {
      InputException e =
          assertThrows(InputException.class, () -> NeonInputs.snapshotTimestamp(bad, NOW));
      assertEquals(
          "snapshot-timestamp must be an RFC 3339 time with its offset, such as"
              + " 2026-11-20T12:00:00Z (got '"
              + bad
              + "')",
          e.getMessage());
    }
    InputException future =
        assertThrows(
            InputException.class, () -> NeonInputs.snapshotTimestamp("2026-11-21T03:15:01Z", NOW));
    assertEquals("snapshot-timestamp 2026-11-21T03:15:01Z is in the future", future.getMessage());
  }

  @Test
  void a_key_with_a_line_break_or_a_space_is_refused_without_being_shown() {
    URI url = NeonInputs.apiUrl(Optional.empty());
    for (String key : List.of("", "napi_abc\n", "napi abc", "napi_\u00e9")) {
      InputException e =
          assertThrows(
              InputException.class,
              () ->
                  new NeonApi(url, Secret.of(key), Clock.systemUTC(), pause -> {}, Duration.ZERO));
      assertTrue(e.getMessage().startsWith("neon-api-key is empty or holds"), e.getMessage());
      assertFalse(!key.isEmpty() && e.getMessage().contains(key.strip()), e.getMessage());
    }
  }

  @Test
  void the_url_input_must_be_http_or_https() {
    assertEquals(
        "https://console.neon.tech/api/v2", NeonInputs.apiUrl(Optional.empty()).toString());
    assertEquals(
        "http://localhost:8080/v2",
        NeonInputs.apiUrl(Optional.of(" http://localhost:8080/v2/ ")).toString());
    for (String bad :
        List.of("console.neon.tech", "ftp://x/y", "https://x/y?a=b", "https://u:p@x/", "::")) {
      Exception e = assertThrows(RuntimeException.class, () -> NeonInputs.apiUrl(Optional.of(bad)));
      assertTrue(e.getMessage().startsWith("neon-api-url must be"), bad + ": " + e.getMessage());
    }
  }
}
