package dev.neonbackup.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotifySettingsTest {
  private static final Map<String, String> ACTIONS =
      Map.of(
          "GITHUB_SERVER_URL", "https://github.com",
          "GITHUB_REPOSITORY", "acme/app",
          "GITHUB_RUN_ID", "42");

  @Test
  void nothing_given_means_nothing_sent_and_failure_is_the_default_of_notify_on() {
    NotifySettings settings = NotifySettings.of(null, "", " ", Map.of());
    assertEquals(Optional.empty(), settings.heartbeatUrl());
    assertEquals(Optional.empty(), settings.webhookUrl());
    assertEquals(NotifyOn.FAILURE, settings.notifyOn());
    assertFalse(settings.any());
  }

  @Test
  void both_urls_are_secrets_and_the_run_link_comes_from_the_runner() {
    NotifySettings settings =
        NotifySettings.of(
            "https://hc-ping.com/abc", "https://hooks.slack.com/services/T/B/x", "Always", ACTIONS);
    assertEquals("***", settings.heartbeatUrl().get().toString());
    assertEquals("https://hc-ping.com/abc", settings.heartbeatUrl().get().reveal());
    assertEquals(2, settings.secrets().size());
    assertEquals(NotifyOn.ALWAYS, settings.notifyOn());
    assertEquals(Optional.of("https://github.com/acme/app/actions/runs/42"), settings.runLink());
    assertTrue(settings.any());
  }

  @Test
  void no_run_link_unless_the_runner_set_all_three_variables() {
    assertEquals(
        Optional.empty(),
        NotifySettings.of(null, "https://example.com/x", null, Map.of("GITHUB_RUN_ID", "42"))
            .runLink());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hc-ping.com/abc",
        "hc-ping.com/abc",
        "https://",
        "https:///abc",
        "http://exa mple.com/x",
        "javascript:alert(1)"
      })
  void a_heartbeat_url_that_is_no_http_url_with_a_host_is_refused_without_being_echoed(String url) {
    InputException refused =
        assertThrows(InputException.class, () -> NotifySettings.of(url, null, null, Map.of()));
    assertTrue(
        refused.getMessage().startsWith("heartbeat-url must be an http or https URL with a host"),
        refused.getMessage());
    assertFalse(refused.getMessage().contains(url), refused.getMessage());
  }

  @Test
  void a_bad_webhook_url_names_its_input() {
    InputException refused =
        assertThrows(
            InputException.class,
            () -> NotifySettings.of(null, "hooks.slack.com/x", null, Map.of()));
    assertTrue(
        refused
            .getMessage()
            .startsWith("notify-webhook-url must be an http or https URL with a host"),
        refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"never", "failures", "success"})
  void notify_on_takes_failure_or_always(String value) {
    InputException refused =
        assertThrows(InputException.class, () -> NotifySettings.of(null, null, value, Map.of()));
    assertEquals("notify-on must be failure or always (got '" + value + "')", refused.getMessage());
  }

  @Test
  void the_ping_urls_keep_a_query_after_the_path() {
    assertEquals(
        "https://hc-ping.com/key/slug/start?create=1",
        PingUrls.with("https://hc-ping.com/key/slug?create=1", "/start").toString());
    assertEquals(
        "https://hc-ping.com/abc/fail",
        PingUrls.with("https://hc-ping.com/abc/", "/fail").toString());
    assertEquals(
        "https://hc-ping.com/abc", PingUrls.with("https://hc-ping.com/abc", "").toString());
  }
}
