package dev.neonbackup.cli;

import dev.neonbackup.notify.Delivery;
import dev.neonbackup.notify.Notifications;
import dev.neonbackup.notify.NotifySettings;
import dev.neonbackup.notify.RunNotifier;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Heartbeat pings and the chat message of a backup run (backup only). */
public final class NotifyOptions {
  /**
   * The timeout of each try, in milliseconds, instead of 10 s: for the tests of a slow receiver
   * only, so it is a JVM property and no input.
   */
  static final String TIMEOUT_PROPERTY = "neonbackup.notify.timeout-millis";

  @Option(
      names = "--heartbeat-url",
      paramLabel = "URL",
      description =
          "Ping this URL (healthchecks.io convention: GET <url>/start, POST <url> with the summary,"
              + " or POST <url>/fail with the error). A secret.")
  String heartbeatUrl;

  @Option(
      names = "--notify-webhook-url",
      paramLabel = "URL",
      description = "POST {\"text\": ...} to this Slack or Discord (/slack) webhook. A secret.")
  String webhookUrl;

  @Option(
      names = "--notify-on",
      paramLabel = "WHEN",
      description = "When to post to notify-webhook-url: failure (default) or always.")
  String notifyOn;

  /** Validates the inputs, masks both URLs, and gives what tells the outside world. */
  RunNotifier notifier(RunContext context) {
    NotifySettings settings =
        NotifySettings.of(heartbeatUrl, webhookUrl, notifyOn, context.environment());
    context.console().protect(settings.secrets());
    return Notifications.of(settings, context.console(), context.clock(), delivery());
  }

  private static Delivery delivery() {
    String millis = System.getProperty(TIMEOUT_PROPERTY);
    return millis == null
        ? Delivery.STANDARD
        : Delivery.standardWithTimeout(Duration.ofMillis(Long.parseLong(millis)));
  }
}
