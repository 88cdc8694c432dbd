package dev.neonbackup.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on a free loopback port in front of {@link S3MockServer} that records every
 * request's method, path, query and headers, and adds what S3Mock lacks of Object Lock, as the S3
 * API reference describes it:
 *
 * <ul>
 *   <li>a PutObject or CreateMultipartUpload that carries {@code x-amz-object-lock-mode} and
 *       {@code x-amz-object-lock-retain-until-date} locks the version it creates (PutObject's, or
 *       CompleteMultipartUpload's) until that date;
 *   <li>a DeleteObject of a locked version is refused with 403 AccessDenied (COMPLIANCE always;
 *       GOVERNANCE unless {@code x-amz-bypass-governance-retention: true});
 *   <li>HeadObject and GetObject of a locked version answer with the two headers, as S3 does for a
 *       caller allowed {@code s3:GetObjectRetention} ({@link #hideRetention} plays one that is not).
 * </ul>
 *
 * A plain DeleteObject (no version id) goes through: it only adds a delete marker, as on S3. A
 * multi-object delete that names a locked version is answered 501, as this proxy does not split
 * one; the program deletes versions one request at a time. S3Mock checks no signature, so
 * forwarding with another Host header is faithful enough.
 */
public final class ObjectLockProxy implements AutoCloseable {
  /** One request as the proxy received it; header names lower-cased. */
  public record Request(String method, String path, String query, Map<String, String> headers) {
    public boolean hasQuery(String parameter) {
      return query != null
          && java.util.Arrays.stream(query.split("&"))
              .anyMatch(p -> p.equals(parameter) || p.startsWith(parameter + "="));
    }

    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String key() {
      int slash = path.indexOf('/', 1);
      return slash < 0 ? "" : java.net.URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  private record Lock(String mode, Instant until) {}

  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive");
  private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]+)</UploadId>");
  private static final Pattern VERSION_ID = Pattern.compile("<VersionId>([^<]+)</VersionId>");

  private final URI upstream;
  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Lock> lockedVersions = new ConcurrentHashMap<>();
  private final Map<String, Lock> lockedUploads = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(16);
  private volatile boolean hideRetention;
  private volatile boolean denyVersioningStatus;

  public ObjectLockProxy(S3MockServer upstream) {
    this.upstream = upstream.endpoint();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, in the order they arrived. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Locked versions, as {@code key@versionId}. */
  public Set<String> lockedVersions() {
    return Set.copyOf(lockedVersions.keySet());
  }

  /** Time passes: every lock's retain-until date is now in the past. */
  public void expireLocks() {
    Instant past = Instant.now().minusSeconds(1);
    lockedVersions.replaceAll((version, lock) -> new Lock(lock.mode(), past));
  }

  /** Plays a caller without s3:GetBucketVersioning: GET ?versioning answers 403 AccessDenied. */
  public void denyVersioningStatus(boolean deny) {
    denyVersioningStatus = deny;
  }

  /** Plays a caller without s3:GetObjectRetention: reads no longer show the lock. */
  public void hideRetention(boolean hide) {
    hideRetention = hide;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request = record(exchange);
      byte[] body = exchange.getRequestBody().readAllBytes();
      Optional<String> refusal = refusal(request, body);
      if (refusal.isPresent()) {
        reply(exchange, refusal.get().startsWith("501") ? 501 : 403, Map.of(), errorXml(refusal.get()), false);
        return;
      }
      HttpResponse<byte[]> response = forward(request, body);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase("content-length")) {
          headers.put(name, values);
        }
      });
      if (response.statusCode() >= 400) {
        FixtureLog.log(
            "S3Mock answered " + request + " with " + response.statusCode() + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      learn(request, response, headers);
      reply(exchange, response.statusCode(), headers, response.body(), request.method().equals("HEAD"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Request record(HttpExchange exchange) {
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            Map.copyOf(headers));
    requests.add(request);
    return request;
  }

  /** Why the proxy refuses this request itself, as S3 would with the lock; empty to forward it. */
  private Optional<String> refusal(Request request, byte[] body) {
    if (denyVersioningStatus && request.method().equals("GET") && request.hasQuery("versioning")) {
      return Optional.of("AccessDenied|Access Denied");
    }
    if (request.method().equals("DELETE") && request.hasQuery("versionId")) {
      Lock lock = lockedVersions.get(request.key() + "@" + queryValue(request, "versionId"));
      boolean bypass = "true".equalsIgnoreCase(request.headers().get("x-amz-bypass-governance-retention"));
      if (lock != null
          && lock.until().isAfter(Instant.now())
          && (lock.mode().equals("COMPLIANCE") || !bypass)) {
        return Optional.of("AccessDenied|Access Denied because object protected by object lock.");
      }
    }
    if (request.method().equals("POST") && request.hasQuery("delete")) {
      Matcher versions = VERSION_ID.matcher(new String(body, StandardCharsets.UTF_8));
      while (versions.find()) {
        String id = versions.group(1);
        if (lockedVersions.keySet().stream().anyMatch(v -> v.endsWith("@" + id))) {
          return Optional.of("501 NotImplemented|the test proxy does not split a multi-object delete of locked versions");
        }
      }
    }
    return Optional.empty();
  }

  private HttpResponse<byte[]> forward(Request request, byte[] body) throws IOException, InterruptedException {
    URI target =
        URI.create(upstream + request.path() + (request.query() == null ? "" : "?" + request.query()));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofMinutes(2))
            .method(
                request.method(),
                body.length == 0 && !request.method().equals("PUT")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    request.headers().forEach((name, value) -> {
      if (!NOT_FORWARDED.contains(name)) {
        try {
          builder.header(name, value);
        } catch (IllegalArgumentException restricted) {
          // a header the JDK client sets itself
        }
      }
    });
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Binds the locks requested at creation to the versions that creation made. */
  private void learn(Request request, HttpResponse<byte[]> response, Map<String, List<String>> headers)
      throws IOException, InterruptedException {
    if (response.statusCode() / 100 != 2) {
      return;
    }
    Optional<Lock> asked = requestedLock(request);
    String method = request.method();
    if (method.equals("POST") && request.hasQuery("uploads") && asked.isPresent()) {
      Matcher id = UPLOAD_ID.matcher(new String(response.body(), StandardCharsets.UTF_8));
      if (id.find()) {
        lockedUploads.put(id.group(1), asked.get());
      }
    } else if (method.equals("POST") && request.hasQuery("uploadId")) {
      Lock lock = lockedUploads.remove(queryValue(request, "uploadId"));
      if (lock != null) {
        versionOf(request, response).ifPresent(v -> lockedVersions.put(request.key() + "@" + v, lock));
      }
    } else if (method.equals("PUT") && asked.isPresent() && !request.hasQuery("uploadId") && isPlainObject(request)) {
      versionOf(request, response).ifPresent(v -> lockedVersions.put(request.key() + "@" + v, asked.get()));
    } else if ((method.equals("HEAD") || method.equals("GET")) && !hideRetention) {
      String version = response.headers().firstValue("x-amz-version-id").orElse(null);
      Lock lock = version == null ? null : lockedVersions.get(request.key() + "@" + version);
      if (lock != null) {
        headers.put("x-amz-object-lock-mode", List.of(lock.mode()));
        headers.put("x-amz-object-lock-retain-until-date", List.of(lock.until().toString()));
      }
    }
  }

  private Optional<String> versionOf(Request request, HttpResponse<byte[]> response)
      throws IOException, InterruptedException {
    Optional<String> header = response.headers().firstValue("x-amz-version-id");
    if (header.isPresent()) {
      return header;
    }
    HttpResponse<byte[]> head =
        http.send(
            HttpRequest.newBuilder(URI.create(upstream + request.path()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return head.headers().firstValue("x-amz-version-id");
  }

  private static boolean isPlainObject(Request request) {
    return request.query() == null
        || java.util.Arrays.stream(request.query().split("&"))
            .allMatch(p -> p.startsWith("x-id=") || p.isEmpty());
  }

  private static Optional<Lock> requestedLock(Request request) {
    String mode = request.headers().get("x-amz-object-lock-mode");
    String until = request.headers().get("x-amz-object-lock-retain-until-date");
    if (mode == null || until == null) {
      return Optional.empty();
    }
    return Optional.of(new Lock(mode, Instant.parse(until)));
  }

  private static String queryValue(Request request, String name) {
    for (String pair : request.query().split("&")) {
      if (pair.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static byte[] errorXml(String codeAndMessage) {
    String[] parts = codeAndMessage.split("\\|", 2);
    String code = parts[0].replaceFirst("^501 ", "");
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
            + parts[1] + "</Message><RequestId>object-lock-proxy</RequestId></Error>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void reply(
      HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body, boolean head)
      throws IOException {
    headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
    if (head || status == 204 || status == 304) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.getResponseHeaders().remove("Content-Length");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
