package dev.neonbackup.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local HTTP server that records every request (method, path, query, headers, body) and answers
 * as it is told: 200, 500 (failing), late (slow), or not at all (down: its port is closed).
 */
public final class HttpReceiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Request(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int status = 200;
  private volatile Duration delay = Duration.ZERO;

  private HttpReceiver(HttpServer server) {
    this.server = server;
  }

  /** A receiver that answers 200 "OK" on a free loopback port. */
  public static HttpReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      HttpReceiver receiver = new HttpReceiver(server);
      server.createContext("/", receiver::handle);
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A base URL at which nothing listens. */
  public static String down() {
    return "http://127.0.0.1:" + Ports.free() + "/down";
  }

  /** From now on, answers 500. */
  public HttpReceiver failing() {
    status = 500;
    return this;
  }

  /** From now on, answers only after {@code wait}. */
  public HttpReceiver slow(Duration wait) {
    delay = wait;
    return this;
  }

  /** The URL of {@code path} on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            Map.copyOf(exchange.getRequestHeaders()),
            body));
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] answer = (status == 200 ? "OK" : "failing").getBytes(StandardCharsets.UTF_8);
    try {
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
    } catch (IOException e) {
      // The client gave up waiting (a slow receiver): nothing to answer to.
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
