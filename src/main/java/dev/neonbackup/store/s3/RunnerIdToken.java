package dev.neonbackup.store.s3;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.WebIdentityRole;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The runner's GitHub OIDC token for STS, fresh on every call, asked for as the Actions toolkit's
 * getIDToken does: GET ACTIONS_ID_TOKEN_REQUEST_URL with {@code &audience=sts.amazonaws.com}, the
 * request token as a bearer token, and the answer's JSON {@code value}. 502, 503, 504 and a dropped
 * connection are tried again, twice.
 */
final class RunnerIdToken {
  static final String AUDIENCE = "sts.amazonaws.com";
  private static final int ATTEMPTS = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String SOURCE = WebIdentityRole.TOKEN_URL_VARIABLE;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final URI url;
  private final Secret requestToken;

  RunnerIdToken(URI tokenUrl, Secret requestToken) {
    this.url = withAudience(tokenUrl);
    this.requestToken = requestToken;
  }

  /** The runner's URL already has a query string (api-version); one without gets its own. */
  static URI withAudience(URI tokenUrl) {
    String separator = tokenUrl.getRawQuery() == null ? "?" : "&";
    return URI.create(
        tokenUrl + separator + "audience=" + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8));
  }

  /** A new token; a failure is an SdkClientException whose message names the endpoint's variable. */
  Secret fetch() {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = http.send(request(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return parse(response.body());
        }
        if (!retryable(response.statusCode()) || attempt == ATTEMPTS) {
          throw failure("answered HTTP " + response.statusCode() + advice(response.statusCode()), null);
        }
      } catch (IOException e) {
        if (attempt == ATTEMPTS) {
          throw failure("could not be reached (" + e.getClass().getSimpleName() + ")", e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("was not answered: interrupted", e);
      }
      pause(Duration.ofSeconds(attempt));
    }
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(url)
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + requestToken.reveal())
        .header("Accept", "application/json")
        .GET()
        .build();
  }

  /** The body is never quoted in a message: it may hold a token. */
  private static Secret parse(String body) {
    try {
      Map<String, Object> answer = JSON.std.mapFrom(body);
      if (answer != null && answer.get("value") instanceof String && !((String) answer.get("value")).isBlank()) {
        return Secret.of((String) answer.get("value"));
      }
    } catch (IOException notJson) {
      // reported below, as an answer without a token
    }
    throw failure("answered with no token (not JSON with a \"value\")", null);
  }

  private static boolean retryable(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  private static String advice(int status) {
    if (status == 401 || status == 403) {
      return ": the runner refused its own request token; run the job again";
    }
    return status >= 500 ? ": the runner's token service failed; run the job again" : "";
  }

  static SdkClientException failure(String what, Throwable cause) {
    return SdkClientException.builder()
        .message("could not get a GitHub OIDC token for aws-role-arn: " + SOURCE + " " + what)
        .cause(cause)
        .build();
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("was not answered: interrupted", e);
    }
  }
}
