package dev.neonbackup.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 endpoint that, like S3, takes only temporary credentials that STS issued and that have not
 * expired: a proxy that checks each request's SigV4 access key id and {@code x-amz-security-token}
 * against a {@link StsStandIn}, answers S3's own errors otherwise (400 ExpiredToken, 403
 * InvalidAccessKeyId or InvalidToken), and forwards the rest to an S3Proxy of its own that runs
 * without authentication.
 */
public final class TemporaryCredentialsGate implements AutoCloseable {
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([A-Z0-9]+)/");
  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding",
          "authorization", "x-amz-security-token");

  /** One request as the gate saw it: the credentials it carried and whether they passed. */
  public record Checked(String request, String accessKeyId, Instant at, Optional<String> refusal) {}

  private final StsStandIn sts;
  private final Path dir = TempDirs.create("s3-open-");
  private final URI upstream = URI.create("http://127.0.0.1:" + Ports.free());
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Checked> checked = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private Process s3proxy;

  private TemporaryCredentialsGate(StsStandIn sts) throws IOException {
    this.sts = sts;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newFixedThreadPool(16, runnable -> {
      Thread thread = new Thread(runnable, "credentials-gate");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/", this::serve);
  }

  /** A gate taking the credentials {@code sts} issues, in front of a new unauthenticated S3Proxy. */
  public static TemporaryCredentialsGate start(StsStandIn sts) {
    try {
      TemporaryCredentialsGate gate = new TemporaryCredentialsGate(sts);
      gate.launchS3Proxy();
      gate.server.start();
      FixtureLog.log("started a temporary-credentials gate on " + gate.endpoint() + " in front of " + gate.upstream);
      return gate;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, in order of arrival. */
  public List<Checked> checked() {
    return List.copyOf(checked);
  }

  /** Creates a bucket directly on the S3Proxy behind the gate. */
  public String createBucket() {
    String bucket = "gated-" + Randoms.lowercase(12);
    send("PUT", "/" + bucket);
    return bucket;
  }

  /** The keys under {@code bucket}, read directly from the S3Proxy behind the gate. */
  public List<String> keys(String bucket) {
    Matcher keys = Pattern.compile("<Key>([^<]+)</Key>").matcher(send("GET", "/" + bucket + "?list-type=2"));
    List<String> found = new java.util.ArrayList<>();
    while (keys.find()) {
      found.add(keys.group(1));
    }
    return found;
  }

  /** Unfinished multipart uploads in {@code bucket}, read directly from the S3Proxy. */
  public String uploadsListing(String bucket) {
    return send("GET", "/" + bucket + "?uploads");
  }

  @Override
  public void close() {
    server.stop(0);
    if (s3proxy != null) {
      s3proxy.destroyForcibly();
    }
    TempDirs.delete(dir);
  }

  private void serve(HttpExchange exchange) throws IOException {
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
    String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
    Matcher credential = CREDENTIAL.matcher(authorization);
    String keyId = credential.find() ? credential.group(1) : "";
    Optional<String> refusal = refusal(keyId, exchange.getRequestHeaders().getFirst("x-amz-security-token"));
    checked.add(new Checked(request, keyId, Instant.now(), refusal));
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (refusal.isPresent()) {
      String[] statusAndCode = refusal.get().split(" ", 2);
      StsStandIn.respond(exchange, Integer.parseInt(statusAndCode[0]), "application/xml",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + statusAndCode[1]
              + "</Code><Message>refused by the temporary-credentials gate</Message></Error>");
      return;
    }
    forward(exchange, body);
  }

  /** "status Code" of S3's answer to these credentials, or empty when S3 would take them. */
  private Optional<String> refusal(String accessKeyId, String sessionToken) {
    Optional<StsStandIn.Issued> issued = sts.issued(accessKeyId);
    if (issued.isEmpty()) {
      return Optional.of("403 InvalidAccessKeyId");
    }
    if (!issued.get().sessionToken().equals(sessionToken)) {
      return Optional.of("403 InvalidToken");
    }
    if (!Instant.now().isBefore(issued.get().expiration())) {
      return Optional.of("400 ExpiredToken");
    }
    return Optional.empty();
  }

  private void forward(HttpExchange exchange, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(),
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    response.headers().map().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!Set.of("content-length", "transfer-encoding", "connection", "date", ":status").contains(lower)) {
        values.forEach(value -> exchange.getResponseHeaders().add(name, value));
      }
    });
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head) {
      response.headers().firstValue("Content-Length").ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
    }
    byte[] answer = response.body();
    exchange.sendResponseHeaders(response.statusCode(), head || answer.length == 0 ? -1 : answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(answer);
      }
    }
  }

  private String send(String method, String pathAndQuery) {
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(URI.create(upstream + pathAndQuery))
              .method(method, HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + pathAndQuery + ": " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** S3Proxy from its jar, filesystem-backed, taking every request without authentication. */
  private void launchS3Proxy() throws IOException {
    try {
      launchAndAwait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void launchAndAwait() throws IOException, InterruptedException {
    Path properties = dir.resolve("s3proxy.properties");
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(properties,
        "s3proxy.endpoint=" + upstream + "\ns3proxy.authorization=none\n"
            + "jclouds.provider=filesystem-nio2\njclouds.filesystem.basedir=" + dir.resolve("data") + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("s3proxy.jar", "target/test-servers/s3proxy.jar");
    s3proxy = new ProcessBuilder(java, "-jar", jar, "--properties", properties.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        http.send(HttpRequest.newBuilder(upstream).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        if (!s3proxy.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start:\n" + TempDirs.tail(dir.resolve("s3proxy.log"), 4000));
        }
        Thread.sleep(100);
      }
    }
  }
}
