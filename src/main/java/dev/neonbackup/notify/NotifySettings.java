package dev.neonbackup.notify;

import dev.neonbackup.report.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated inputs of heartbeats and notifications. Both URLs are secrets (a heartbeat URL lets
 * anyone report success; a webhook URL lets anyone post to the channel).
 */
public record NotifySettings(
    Optional<Secret> heartbeatUrl,
    Optional<Secret> webhookUrl,
    NotifyOn notifyOn,
    Optional<String> runLink) {

  /** From the raw inputs; {@code environment} gives the link to the run when the runner set it. */
  public static NotifySettings of(
      String heartbeatUrl, String webhookUrl, String notifyOn, Map<String, String> environment) {
    return new NotifySettings(
        PingUrls.checked(heartbeatUrl, "heartbeat-url").map(Secret::of),
        PingUrls.checked(webhookUrl, "notify-webhook-url").map(Secret::of),
        NotifyOn.parse(notifyOn),
        runLink(environment));
  }

  /** GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID, when all three are set. */
  private static Optional<String> runLink(Map<String, String> environment) {
    String server = environment.get("GITHUB_SERVER_URL");
    String repository = environment.get("GITHUB_REPOSITORY");
    String run = environment.get("GITHUB_RUN_ID");
    if (blank(server) || blank(repository) || blank(run)) {
      return Optional.empty();
    }
    return Optional.of(server.strip() + "/" + repository.strip() + "/actions/runs/" + run.strip());
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /** Whether anything is to be sent at all. */
  public boolean any() {
    return heartbeatUrl.isPresent() || webhookUrl.isPresent();
  }

  /** The values to mask. */
  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>();
    heartbeatUrl.ifPresent(secrets::add);
    webhookUrl.ifPresent(secrets::add);
    return secrets;
  }
}
