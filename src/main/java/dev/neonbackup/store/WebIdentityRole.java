package dev.neonbackup.store;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The IAM role a run assumes with the runner's GitHub OIDC token (aws-role-arn), instead of
 * credentials that expire after an hour: the adapter asks the runner for a fresh token and STS for
 * fresh credentials before the old ones run out, for as long as the run lasts.
 *
 * @param tokenUrl the runner's ACTIONS_ID_TOKEN_REQUEST_URL, as given (without the audience)
 * @param requestToken the runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN
 * @param protect told of every secret the session obtains (OIDC tokens, session keys), so that
 *     the run's log masks and redacts them
 */
public record WebIdentityRole(
    String roleArn,
    String sessionName,
    Optional<Integer> durationSeconds,
    URI tokenUrl,
    Secret requestToken,
    Consumer<Secret> protect) {

  public static final String ARN_INPUT = "aws-role-arn";
  public static final String SESSION_NAME_INPUT = "aws-role-session-name";
  public static final String DURATION_INPUT = "aws-role-duration-seconds";
  public static final String TOKEN_URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL";
  public static final String REQUEST_TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
  public static final int MIN_DURATION = 900;
  public static final int MAX_DURATION = 43_200;
  static final String DEFAULT_SESSION_NAME = "neon-backup-action";

  private static final String ARN_SHAPE = "arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]*[\\w+=,.@-]";
  private static final String SESSION_NAME_SHAPE = "[\\w+=,.@-]{2,64}";

  /** The inputs as given (null or blank: unset); empty without aws-role-arn. */
  static Optional<WebIdentityRole> from(
      String arn,
      String sessionName,
      String durationSeconds,
      Map<String, String> environment,
      Consumer<Secret> protect) {
    Optional<String> role = Inputs.optional(arn);
    if (role.isEmpty()) {
      requireRole(sessionName, SESSION_NAME_INPUT);
      requireRole(durationSeconds, DURATION_INPUT);
      return Optional.empty();
    }
    return Optional.of(
        new WebIdentityRole(
            checkArn(role.get()),
            Inputs.optional(sessionName).map(WebIdentityRole::checkSessionName)
                .orElseGet(() -> defaultSessionName(environment.get("GITHUB_RUN_ID"))),
            Inputs.optional(durationSeconds)
                .map(text -> Inputs.wholeNumber(text, DURATION_INPUT, MIN_DURATION, MAX_DURATION)),
            tokenUrl(environment),
            requestToken(environment),
            protect == null ? secret -> {} : protect));
  }

  private static void requireRole(String companion, String input) {
    if (Inputs.optional(companion).isPresent()) {
      throw new InputException(input + " needs " + ARN_INPUT + " (the role to assume)");
    }
  }

  private static String checkArn(String arn) {
    if (arn.length() > 2048 || !arn.matches(ARN_SHAPE)) {
      throw new InputException(
          ARN_INPUT
              + " must be an IAM role ARN such as arn:aws:iam::123456789012:role/neon-backup (got '"
              + arn
              + "')");
    }
    return arn;
  }

  private static String checkSessionName(String name) {
    if (!name.matches(SESSION_NAME_SHAPE)) {
      throw new InputException(
          SESSION_NAME_INPUT
              + " must be 2 to 64 letters, digits or +=,.@_- as AWS requires (got '"
              + name
              + "')");
    }
    return name;
  }

  /** neon-backup-action-<run id>, with what AWS refuses in a session name replaced by '-'. */
  static String defaultSessionName(String runId) {
    String name =
        Inputs.optional(runId)
            .map(id -> DEFAULT_SESSION_NAME + "-" + id.replaceAll("[^\\w+=,.@-]", "-"))
            .orElse(DEFAULT_SESSION_NAME);
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static URI tokenUrl(Map<String, String> environment) {
    String text = runnerVariable(environment, TOKEN_URL_VARIABLE);
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null
          || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        throw new URISyntaxException(text, "not http(s)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InputException(
          TOKEN_URL_VARIABLE + " is not an http(s) URL; it is the runner's to set, not yours");
    }
  }

  private static Secret requestToken(Map<String, String> environment) {
    return Secret.of(runnerVariable(environment, REQUEST_TOKEN_VARIABLE));
  }

  private static String runnerVariable(Map<String, String> environment, String name) {
    return Inputs.optional(environment.get(TOKEN_URL_VARIABLE))
        .flatMap(url -> Inputs.optional(environment.get(REQUEST_TOKEN_VARIABLE)))
        .flatMap(token -> Inputs.optional(environment.get(name)))
        .orElseThrow(
            () ->
                new InputException(
                    ARN_INPUT
                        + " needs a GitHub OIDC token, and the runner offers none ("
                        + TOKEN_URL_VARIABLE
                        + " and "
                        + REQUEST_TOKEN_VARIABLE
                        + " are unset): give the workflow or job `permissions: id-token: write`"));
  }

  @Override
  public String toString() {
    return "WebIdentityRole[roleArn=" + roleArn + ", sessionName=" + sessionName
        + ", durationSeconds=" + durationSeconds + ", requestToken=" + Secret.REDACTED + "]";
  }
}
