package dev.neonbackup.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends one request with retries. It never throws: it answers why the receiver did not take it, so
 * the caller can warn. Nothing it says contains the URL.
 */
final class HttpDelivery {
  private final HttpClient client;
  private final Delivery delivery;

  HttpDelivery(Delivery delivery) {
    this.delivery = delivery;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(delivery.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            // No h2c upgrade on plain http: some receivers and proxies refuse it on a POST.
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A GET, or a POST of {@code body} as {@code contentType} when the body is present. */
  Optional<String> send(URI uri, Optional<byte[]> body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(delivery.timeout());
    if (body.isPresent()) {
      request
          .header("Content-Type", contentType)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.get()));
    } else {
      request.GET();
    }
    String reason = "";
    for (int attempt = 1; attempt <= delivery.tries(); attempt++) {
      if (attempt > 1 && !pause()) {
        break;
      }
      Attempt result = attempt(request.build());
      if (result.delivered()) {
        return Optional.empty();
      }
      reason = result.reason();
      if (!result.worthRetrying()) {
        break;
      }
    }
    int tries = delivery.tries();
    return Optional.of(reason + ", " + tries + (tries == 1 ? " try" : " tries"));
  }

  private record Attempt(boolean delivered, String reason, boolean worthRetrying) {}

  private Attempt attempt(HttpRequest request) {
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        return new Attempt(true, "", false);
      }
      boolean transientStatus = status >= 500 || status == 408 || status == 429;
      return new Attempt(false, "HTTP " + status, transientStatus);
    } catch (HttpTimeoutException e) {
      String seconds = String.format(Locale.ROOT, "%.1f", delivery.timeout().toMillis() / 1000.0);
      return new Attempt(false, "no answer within " + seconds + " s", true);
    } catch (ConnectException e) {
      return new Attempt(false, "cannot connect", true);
    } catch (IOException e) {
      return new Attempt(false, e.getClass().getSimpleName(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(false, "interrupted", false);
    } catch (RuntimeException e) {
      // Whatever the client refuses must not replace the backup's own outcome and status.
      return new Attempt(false, e.getClass().getSimpleName(), false);
    }
  }

  private boolean pause() {
    try {
      Thread.sleep(delivery.pause().toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
