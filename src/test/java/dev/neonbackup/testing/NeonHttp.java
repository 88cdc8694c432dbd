package dev.neonbackup.testing;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/** The HTTP and JSON plumbing of the Neon API stand-in: bodies, query strings, answers. */
final class NeonHttp {
  private NeonHttp() {}

  static void send(HttpExchange exchange, int status, String body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  static Map<String, Object> parseBody(String body) {
    if (body.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.std.mapFrom(body);
    } catch (IOException e) {
      throw NeonApiError.badRequest("the request body is not a JSON object: " + e.getMessage());
    }
  }

  static Map<String, String> parseQuery(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        parameters.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  static String json(Object value) {
    try {
      return JSON.std.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "neon-api-stand-in");
      thread.setDaemon(true);
      return thread;
    };
  }
}
