package dev.neonbackup.neon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A few canned answers of the Neon API on a loopback port, for the client's own tests: each route
 * ("METHOD /path", the query left out) answers its scripted replies in turn, the last one again and
 * again; a route without a script answers 500. Not a stand-in of Neon: the end-to-end tests run
 * against the real one's stand-in.
 */
final class ScriptedNeon implements AutoCloseable {
  /** One request as it arrived. */
  record Request(String method, String path, String query, String authorization, String body) {}

  /** One scripted answer; {@code delay} holds it back (longer than the client's timeout: none). */
  record Reply(int status, String body, Map<String, String> headers, Duration delay) {
    Reply after(Duration wait) {
      return new Reply(status, body, headers, wait);
    }

    Reply with(String header, String value) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.put(header, value);
      return new Reply(status, body, all, delay);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Reply>> script = new LinkedHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  ScriptedNeon() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static Reply reply(int status, String body) {
    return new Reply(status, body, Map.of(), Duration.ZERO);
  }

  /** The base URL, as neon-api-url would give it. */
  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2");
  }

  /**
   * Scripts {@code route} ("GET /projects/p/branches") to answer {@code replies} in turn, in place
   * of what it answered before.
   */
  synchronized ScriptedNeon on(String route, Reply... replies) {
    script.put(route, new ArrayDeque<>(List.of(replies)));
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests to {@code route}. */
  List<Request> requests(String route) {
    List<Request> matching = new ArrayList<>();
    for (Request request : requests) {
      if ((request.method() + " " + request.path()).equals(route)) {
        matching.add(request);
      }
    }
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath().replaceFirst("^/api/v2", "");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    requests.add(
        new Request(
            method,
            path,
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            body));
    Reply reply = next(method + " " + path);
    try {
      Thread.sleep(reply.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private synchronized Reply next(String route) {
    Deque<Reply> replies = script.get(route);
    if (replies == null || replies.isEmpty()) {
      return reply(500, "{\"code\":\"\",\"message\":\"no script for " + route + "\"}");
    }
    return replies.size() == 1 ? replies.peek() : replies.poll();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
