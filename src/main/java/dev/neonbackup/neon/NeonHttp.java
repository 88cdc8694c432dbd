package dev.neonbackup.neon;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.neon.RetryPolicy.Attempt;
import dev.neonbackup.neon.RetryPolicy.Decision;
import dev.neonbackup.neon.RetryPolicy.Trouble;
import dev.neonbackup.report.Redactor;
import dev.neonbackup.report.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one call to the Neon API with the key as a bearer token, retried as {@link RetryPolicy}
 * says, and answers its JSON or throws a {@link NeonException} whose message never holds the key.
 */
final class NeonHttp {
  private final URI base;
  private final Secret key;
  private final Redactor redactor;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration timeout;
  private final HttpClient client;

  NeonHttp(URI base, Secret key, Clock clock, Sleeper sleeper, Duration timeout) {
    // The JDK quotes a header value it refuses in its exception: a key it would refuse never
    // gets that far.
    if (!key.reveal().matches("[\\x21-\\x7E]+")) {
      throw new InputException(
          NeonInputs.API_KEY
              + " is empty or holds a space, a line break or another character an API key"
              + " cannot have (the key is not shown)");
    }
    this.base = base;
    this.key = key;
    this.redactor = Redactor.of(List.of(key));
    this.clock = clock;
    this.sleeper = sleeper;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            // A redirect could carry the key to another host: Neon's API does not redirect.
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** An answer: its status (2xx) and its JSON body (empty for 204). */
  record Answer(int status, Map<String, Object> json) {}

  private record Outcome(Attempt attempt, String body) {}

  /** Sends {@code call} (with {@code body} for a POST) until it succeeds or the policy gives up. */
  Answer send(Call call, Optional<String> body) {
    return send(call, body, RetryPolicy.MAX_TRIES);
  }

  /** As {@link #send(Call, Optional)}, with at most {@code maxTries} tries. */
  Answer send(Call call, Optional<String> body, int maxTries) {
    HttpRequest request = request(call, body);
    Duration paused = Duration.ZERO;
    for (int tries = 1; ; tries++) {
      Outcome outcome = attempt(request);
      Decision decision =
          RetryPolicy.decide(outcome.attempt(), call.idempotent(), tries, paused, clock.instant());
      switch (decision.verdict()) {
        case DONE:
          return new Answer(outcome.attempt().status(), NeonJson.read(outcome.body()));
        case RETRY:
          if (tries < maxTries) {
            pause(decision.pause(), call);
            paused = paused.plus(decision.pause());
            continue;
          }
          throw failure(call, outcome, tries, false);
        case MAYBE_DONE:
          throw failure(call, outcome, tries, true);
        default:
          throw failure(call, outcome, tries, false);
      }
    }
  }

  private HttpRequest request(Call call, Optional<String> body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base.toString() + call.path()))
            .timeout(timeout)
            .header("Authorization", "Bearer " + key.reveal())
            .header("Accept", "application/json")
            .header("User-Agent", "neon-backup-action");
    if (call.method().equals("POST")) {
      builder
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.orElse("{}")));
    } else {
      builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    return builder.build();
  }

  private Outcome attempt(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      Optional<String> retryAfter = response.headers().firstValue("Retry-After");
      return new Outcome(Attempt.answered(response.statusCode(), retryAfter), response.body());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return new Outcome(Attempt.noAnswer(Trouble.CANNOT_CONNECT), "");
    } catch (HttpTimeoutException e) {
      return new Outcome(Attempt.noAnswer(Trouble.TIMED_OUT), "");
    } catch (IOException e) {
      return new Outcome(Attempt.noAnswer(Trouble.CONNECTION_LOST), "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NeonException("interrupted while waiting for the Neon API", 0, "", true);
    }
  }

  /** Pauses as the sleeper does; an interrupt ends the call. */
  void pause(Duration pause, Call call) {
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NeonException("interrupted while " + call.what(), 0, "", false);
    }
  }

  NeonException redacted(NeonException failure) {
    return new NeonException(
        redactor.redact(failure.getMessage()),
        failure.status(),
        redactor.redact(failure.neonMessage()),
        failure.maybeDone());
  }

  private NeonException failure(Call call, Outcome outcome, int tries, boolean maybeDone) {
    Attempt attempt = outcome.attempt();
    if (attempt.status() == 0) {
      String trouble = troubleText(attempt.trouble());
      String message = NeonErrors.noAnswer(call, trouble, base.getHost(), tries);
      return new NeonException(redactor.redact(message), 0, "", maybeDone);
    }
    Map<String, Object> json = NeonJson.read(outcome.body());
    String said = redactor.redact(NeonJson.optional(json, "message").orElse(""));
    String message = NeonErrors.answered(call, attempt.status(), said, tries);
    return new NeonException(redactor.redact(message), attempt.status(), said, maybeDone);
  }

  private String troubleText(Trouble trouble) {
    switch (trouble) {
      case CANNOT_CONNECT:
        return "cannot connect";
      case TIMED_OUT:
        return String.format(Locale.ROOT, "no answer within %.1f s", timeout.toMillis() / 1000.0);
      default:
        return "the connection was lost";
    }
  }
}
