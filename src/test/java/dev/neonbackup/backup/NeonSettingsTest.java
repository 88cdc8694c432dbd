package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeonSettingsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:00Z"), ZoneOffset.UTC);
    private static final String KEY = "napi_abcdefghijklmnopqrstuvwxyz0123456789";

  private static Optional<NeonSettings> of(
      String key, String project, String branch, String snapshot, String timestamp) {
    return NeonSettings.of(key, project, branch, null, snapshot, timestamp, CLOCK);
  }

  private static String refused(String key, String project, String branch, String snapshot, String timestamp) {
    return assertThrows(InputException.class, () -> of(key, project, branch, snapshot, timestamp)).getMessage();
  }

  @Test
  void no_neon_input_at_all_is_no_neon_source() {
    assertEquals(Optional.empty(), of(null, "", " ", "", null));
    assertEquals(Optional.empty(), of(null, null, null, "none", null));
  }

  /** The runner sets neon-api-url to action.yml's default in every run: that is no Neon input. */
  @Test
  void neon_s_own_api_url_alone_as_the_runner_sets_it_is_no_neon_input() {
    for (String url : new String[] {"https://console.neon.tech/api/v2", " https://console.neon.tech/api/v2/ "}) {
      assertEquals(Optional.empty(), NeonSettings.of(null, null, null, url, "none", null, CLOCK), url);
    }
    InputException other =
        assertThrows(
            InputException.class,
            () -> NeonSettings.of(null, null, null, "https://neon-proxy.example/api/v2", "none", null, CLOCK));
    assertTrue(other.getMessage().startsWith("neon-api-url works through the Neon API"), other.getMessage());
  }

  @Test
  void a_key_and_a_project_make_a_source_that_dumps_the_branch_itself_by_default() {
    NeonSettings inputs = of(KEY + "\n", " shiny-cloud-12345678 ", "", "", "").orElseThrow();
    assertEquals(KEY, inputs.apiKey().reveal(), "a key from a file or a secret loses its line break");
    assertEquals("shiny-cloud-12345678", inputs.projectId());
    assertEquals(Optional.empty(), inputs.branch());
    assertEquals(NeonSettings.Snapshot.NONE, inputs.snapshot());
    assertFalse(inputs.temporaryBranch());
    assertFalse(inputs.toString().contains(KEY), "the key never prints: " + inputs);
  }

  @Test
  void a_temporary_branch_at_an_instant() {
    NeonSettings inputs = of(KEY, "p-1", "main", " Branch ", "2026-11-20T22:15:00-05:00").orElseThrow();
    assertTrue(inputs.temporaryBranch());
    assertEquals(Optional.of("main"), inputs.branch());
    assertEquals(Optional.of(Instant.parse("2026-11-21T03:15:00Z")), inputs.snapshotTimestamp(), "exactly now passes");
  }

  @Test
  void each_half_of_the_api_names_the_other() {
    assertTrue(refused(KEY, "", null, null, null).startsWith("neon-project-id is required with neon-api-key"));
    assertTrue(refused("", "p-1", null, null, null).startsWith("neon-api-key is required with neon-project-id"));
  }

  @Test
  void what_needs_the_api_names_both_inputs_without_it() {
    assertEquals(
        "snapshot: branch works through the Neon API: set neon-api-key (a secret) and neon-project-id",
        refused(null, null, null, "branch", null));
    assertTrue(refused(null, null, "main", null, null).startsWith("neon-branch works through the Neon API"));
    assertTrue(refused(null, null, null, null, "2026-11-20T00:00:00Z").startsWith("snapshot-timestamp works"));
  }

  @Test
  void a_timestamp_needs_a_temporary_branch() {
    assertEquals("snapshot-timestamp needs snapshot: branch", refused(KEY, "p-1", null, "none", "2026-11-20T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-20", "2026-11-20T00:00:00", "yesterday", "2026-11-20 00:00:00Z", "1700000000"})
  void a_timestamp_must_be_rfc_3339_with_an_offset(String given) {
    String message = refused(KEY, "p-1", null, "branch", given);
    assertTrue(message.startsWith("snapshot-timestamp must be an RFC 3339 time with its offset"), message);
    assertTrue(message.contains("'" + given + "'"), message);
  }

  @Test
  void a_timestamp_in_the_future_is_refused() {
    String message = refused(KEY, "p-1", null, "branch", "2026-11-21T03:15:01Z");
    assertTrue(message.startsWith("snapshot-timestamp 2026-11-21T03:15:01Z is in the future"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../projects", "Shiny-Cloud", "p/1", "p?x=1", "p%2F1", "napi_x"})
  void a_project_id_that_is_no_neon_id_is_refused_before_it_reaches_a_url(String project) {
    assertTrue(refused(KEY, project, null, null, null).startsWith("neon-project-id must be a Neon project id"));
  }

  @Test
  void an_unknown_snapshot_mode_is_refused_by_name() {
    assertEquals("snapshot must be none or branch (got 'fork')", refused(KEY, "p-1", null, "fork", null));
  }

  @Test
  void the_key_never_appears_in_a_message() {
    for (String message :
        java.util.List.of(
            refused(KEY, "", null, null, null),
            refused(KEY, "Bad/Id", null, null, null),
            refused(KEY, "p-1", null, "fork", null),
            refused(KEY, "p-1", null, "branch", "soon"))) {
      assertFalse(message.contains(KEY), message);
    }
  }

  @Test
  void neon_api_url_alone_is_refused_like_the_other_api_inputs() {
    String message =
        assertThrows(InputException.class, () -> NeonSettings.of(null, null, null, "https://proxy.example/api/v2", null, null, CLOCK))
            .getMessage();
    assertTrue(message.startsWith("neon-api-url works through the Neon API"), message);
  }

  @Test
  void the_key_goes_to_no_plain_http_api_but_on_this_machine() {
    for (String url : java.util.List.of("http://proxy.example/api/v2", "http://10.0.0.1/api/v2", "ftp://x/api")) {
      String message =
          assertThrows(InputException.class, () -> NeonSettings.of(KEY, "p-1", null, url, null, null, CLOCK)).getMessage();
      assertTrue(message.startsWith("neon-api-url must be an https URL"), message);
    }
    assertEquals("http://127.0.0.1:8080/api/v2",
        NeonSettings.of(KEY, "p-1", null, "http://127.0.0.1:8080/api/v2", null, null, CLOCK).orElseThrow().apiUrl().toString());
  }

  @Test
  void with_database_url_and_no_temporary_branch_neon_branch_is_refused() {
    NeonSettings settings = of(KEY, "p-1", "dev", "none", null).orElseThrow();
    String message = assertThrows(InputException.class,
        () -> settings.checkWith(dev.neonbackup.postgres.ConnectionString.parse("postgresql://u:p@h/db", "database-url")))
        .getMessage();
    assertTrue(message.startsWith("neon-branch picks the branch to dump, but database-url already names one"), message);
  }

  @Test
  void a_temporary_branch_needs_database_urls_role_before_anything_is_created() {
    NeonSettings settings = of(KEY, "p-1", null, "branch", null).orElseThrow();
    String message = assertThrows(InputException.class,
        () -> settings.checkWith(dev.neonbackup.postgres.ConnectionString.parse("postgresql://:secret@h/db", "database-url")))
        .getMessage();
    assertTrue(message.startsWith("database-url names no role"), message);
    assertFalse(message.contains("secret"), message);
    settings.checkWith(dev.neonbackup.postgres.ConnectionString.parse("postgresql://u:secret@h/db", "database-url"));
  }
}
