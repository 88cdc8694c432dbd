package dev.neonbackup.notify;

import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Secret;
import dev.neonbackup.shutdown.ShutdownPath;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The heartbeat (healthchecks.io's convention: GET {@code /start}, POST the summary to the URL, or
 * POST the error line to {@code /fail}) and the chat message ({@code {"text": ...}} to a Slack or
 * Discord webhook). After the start ping, a signal posts {@code /fail} through the shutdown path.
 */
public final class Notifications implements RunNotifier {
  static final String CANCELLED = "the run was cancelled by a signal";

  private final NotifySettings settings;
  private final Reporter reporter;
  private final Clock clock;
  private final Delivery delivery;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Instant startedAt;
  private volatile Optional<RunOutcome> outcome = Optional.empty();
  private volatile ShutdownPath.Registration onSignal;

  private Notifications(
      NotifySettings settings, Reporter reporter, Clock clock, Delivery delivery) {
    this.settings = settings;
    this.reporter = reporter;
    this.clock = clock;
    this.delivery = delivery;
    this.startedAt = clock.instant();
  }

  /** What the settings ask for; {@link RunNotifier#NONE} when they name no URL. */
  public static RunNotifier of(
      NotifySettings settings, Reporter reporter, Clock clock, Delivery delivery) {
    return settings.any() ? new Notifications(settings, reporter, clock, delivery) : NONE;
  }

  @Override
  public void started() {
    startedAt = clock.instant();
    settings
        .heartbeatUrl()
        .ifPresent(url -> ping(url, "/start", Optional.empty(), "the start ping", delivery));
    onSignal =
        ShutdownPath.process().register(ShutdownPath.Kind.UPLOAD, onSignalSent(), this::cancelled);
  }

  /** What a signal sends, as the cancel message names it. */
  private String onSignalSent() {
    if (settings.webhookUrl().isEmpty()) {
      return "the heartbeat's /fail ping";
    }
    return settings.heartbeatUrl().isEmpty()
        ? "the failure notification"
        : "the heartbeat's /fail ping and the failure notification";
  }

  @Override
  public void ran(RunOutcome outcome) {
    this.outcome = Optional.of(outcome);
  }

  @Override
  public void succeeded(RunOutcome outcome) {
    if (!end()) {
      return;
    }
    Duration took = took();
    settings
        .heartbeatUrl()
        .ifPresent(
            url ->
                ping(
                    url,
                    "",
                    Optional.of(Messages.summary(outcome, took)),
                    "the success ping",
                    delivery));
    if (settings.notifyOn() == NotifyOn.ALWAYS) {
      chat(Messages.chatSuccess(outcome, took, settings.runLink()), delivery);
    }
  }

  @Override
  public void failed(String errorLine, int exitStatus) {
    // After a signal, the shutdown path reports the run (see cancelled).
    if (ShutdownPath.process().cancelling() || !end()) {
      return;
    }
    sendFailure(errorLine, exitStatus, delivery);
  }

  /**
   * The release a signal runs: one short try of the /fail ping and of the chat message, at once, so
   * both fit in the cancel's network budget.
   */
  void cancelled() {
    if (onSignal != null) {
      onSignal.close();
    }
    if (ended.compareAndSet(false, true)) {
      CompletableFuture<Void> ping =
          CompletableFuture.runAsync(() -> pingFailure(CANCELLED, Delivery.ON_CANCEL));
      chat(
          Messages.chatFailure(outcome, CANCELLED, Messages.CANCELLED, took(), settings.runLink()),
          Delivery.ON_CANCEL);
      ping.join();
    }
  }

  private void sendFailure(String errorLine, int exitStatus, Delivery how) {
    String line = reporter.redactor().redact(errorLine);
    pingFailure(line, how);
    chat(Messages.chatFailure(outcome, line, exitStatus, took(), settings.runLink()), how);
  }

  private void pingFailure(String line, Delivery how) {
    settings
        .heartbeatUrl()
        .ifPresent(url -> ping(url, "/fail", Optional.of(line), "the fail ping", how));
  }

  /** Claims the ending; false if it was already told (by a signal, or an earlier call). */
  private boolean end() {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    if (onSignal != null) {
      onSignal.close();
    }
    return true;
  }

  private void ping(Secret url, String suffix, Optional<String> body, String what, Delivery how) {
    new HttpDelivery(how)
        .send(
            PingUrls.with(url.reveal(), suffix),
            body.map(Messages::pingBody),
            "text/plain; charset=utf-8")
        .ifPresent(reason -> warn("Heartbeat ping failed", "the heartbeat URL did not take " + what, reason));
  }

  private void chat(String text, Delivery how) {
    if (settings.webhookUrl().isEmpty()) {
      return;
    }
    byte[] json = Messages.chatJson(text).getBytes(StandardCharsets.UTF_8);
    new HttpDelivery(how)
        .send(PingUrls.with(settings.webhookUrl().get().reveal(), ""), Optional.of(json), "application/json")
        .ifPresent(
            reason -> warn("Notification failed", "the notification webhook URL did not take the message", reason));
  }

  private void warn(String title, String what, String reason) {
    reporter.warn(title, what + " (" + reason + "); the backup is not affected");
  }

  private Duration took() {
    return Duration.between(startedAt, clock.instant());
  }
}
