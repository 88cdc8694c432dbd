package dev.neonbackup.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.report.Redactor;
import dev.neonbackup.testing.HttpReceiver;
import dev.neonbackup.testing.RecordingReporter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pings and the chat message against a receiver of our own, in this JVM. */
class NotificationsTest {
  private static final Delivery QUICK =
      new Delivery(Duration.ofMillis(300), 3, Duration.ofMillis(20));

  private static RunNotifier notifier(
      String heartbeat, String webhook, String notifyOn, RecordingReporter reporter) {
    NotifySettings settings = NotifySettings.of(heartbeat, webhook, notifyOn, Map.of());
    return Notifications.of(settings, reporter, Clock.systemUTC(), QUICK);
  }

  private static RecordingReporter reporterHiding(String... secrets) {
    return new RecordingReporter(
        Redactor.of(List.of(secrets).stream().map(dev.neonbackup.report.Secret::of).toList()));
  }

  @Test
  void defaults_are_a_ten_second_timeout_and_three_tries() {
    assertEquals(Duration.ofSeconds(10), Delivery.STANDARD.timeout());
    assertEquals(3, Delivery.STANDARD.tries());
  }

  @Test
  void nothing_configured_sends_nothing() {
    NotifySettings settings = NotifySettings.of(null, null, null, Map.of());
    assertEquals(
        RunNotifier.NONE,
        Notifications.of(settings, new RecordingReporter(), Clock.systemUTC(), QUICK));
  }

  @Test
  void a_success_sends_start_then_the_summary_and_no_chat_message_by_default() {
    try (HttpReceiver heartbeat = HttpReceiver.start();
        HttpReceiver chat = HttpReceiver.start()) {
      RecordingReporter reporter = new RecordingReporter();
      RunNotifier notifier =
          notifier(heartbeat.url("/ping/abc"), chat.url("/hook"), null, reporter);
      notifier.started();
      notifier.succeeded(
          new RunOutcome(List.of(MessagesTest.result("neondb", 2048)), Map.of(), Optional.empty()));
      List<HttpReceiver.Request> pings = heartbeat.requests();
      assertEquals(2, pings.size(), pings.toString());
      assertEquals("GET", pings.get(0).method());
      assertEquals("/ping/abc/start", pings.get(0).path());
      assertEquals("POST", pings.get(1).method());
      assertEquals("/ping/abc", pings.get(1).path());
      assertTrue(
          pings.get(1).body().startsWith("backed up neondb: 2.0 KiB in "), pings.get(1).body());
      assertEquals(List.of(), chat.requests());
      assertEquals(List.of(), reporter.lines(RecordingReporter.Level.WARN));
    }
  }

  @Test
  void a_failure_posts_the_error_line_to_fail_and_the_chat_json_once() {
    try (HttpReceiver heartbeat = HttpReceiver.start();
        HttpReceiver chat = HttpReceiver.start()) {
      RunNotifier notifier =
          notifier(heartbeat.url("/abc"), chat.url("/hook"), "failure", new RecordingReporter());
      notifier.started();
      notifier.failed("the bucket does not exist", 5);
      notifier.failed("a second report is not sent", 5);
      HttpReceiver.Request fail = heartbeat.requests().get(1);
      assertEquals("/abc/fail", fail.path());
      assertEquals("POST", fail.method());
      assertEquals("the bucket does not exist", fail.body());
      assertEquals(2, heartbeat.requests().size());
      assertEquals(1, chat.requests().size());
      assertEquals("application/json", chat.requests().get(0).header("Content-Type"));
      assertTrue(
          chat.requests().get(0).body().startsWith("{\"text\":\"Neon backup FAILED (exit 5)"),
          chat.requests().get(0).body());
    }
  }

  @Test
  void a_failing_receiver_is_tried_three_times_then_warned_about_without_its_url() {
    try (HttpReceiver heartbeat = HttpReceiver.start().failing()) {
      String url = heartbeat.url("/abc");
      RecordingReporter reporter = reporterHiding(url);
      RunNotifier notifier = notifier(url, null, null, reporter);
      notifier.started();
      assertEquals(3, heartbeat.requests().size());
      assertEquals(
          List.of(
              "the heartbeat URL did not take the start ping (HTTP 500, 3 tries); the backup is not"
                  + " affected"),
          reporter.lines(RecordingReporter.Level.WARN));
    }
  }

  @Test
  void a_receiver_that_is_down_or_slow_costs_at_most_tries_times_timeout() {
    try (HttpReceiver slow = HttpReceiver.start().slow(Duration.ofSeconds(3))) {
      RecordingReporter reporter = new RecordingReporter();
      RunNotifier notifier = notifier(HttpReceiver.down(), slow.url("/hook"), "always", reporter);
      long started = System.nanoTime();
      notifier.started();
      notifier.succeeded(new RunOutcome(List.of(), Map.of(), Optional.empty()));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(Duration.ofMillis(2 * 3 * 300 + 2000)) < 0, took.toString());
      List<String> warnings = reporter.lines(RecordingReporter.Level.WARN);
      assertEquals(3, warnings.size(), warnings.toString());
      assertTrue(
          warnings
              .get(0)
              .startsWith("the heartbeat URL did not take the start ping (cannot connect"),
          warnings.get(0));
      assertTrue(
          warnings
              .get(2)
              .startsWith(
                  "the notification webhook URL did not take the message (no answer within 0.3 s"),
          warnings.get(2));
      assertEquals(3, slow.requests().size());
    }
  }

  @Test
  void a_cancelled_run_after_the_start_ping_posts_fail_once() {
    try (HttpReceiver heartbeat = HttpReceiver.start()) {
      Notifications notifier =
          (Notifications) notifier(heartbeat.url("/abc"), null, null, new RecordingReporter());
      notifier.started();
      notifier.cancelled();
      notifier.failed("pg_dump was killed by signal 15", 4);
      assertEquals(2, heartbeat.requests().size());
      assertEquals("/abc/fail", heartbeat.requests().get(1).path());
      assertEquals("the run was cancelled by a signal", heartbeat.requests().get(1).body());
    }
  }

  @Test
  void a_url_the_http_client_refuses_is_a_warning_and_never_an_exception() {
    RecordingReporter reporter = new RecordingReporter();
    RunNotifier notifier =
        notifier("http://127.0.0.1:99999/abc", "http://127.0.0.1:99999/hook", null, reporter);
    notifier.started();
    notifier.failed("the bucket does not exist", 5);
    List<String> warnings = reporter.lines(RecordingReporter.Level.WARN);
    assertEquals(3, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith("the heartbeat URL did not take the start ping ("),
        warnings.get(0));
  }
}
