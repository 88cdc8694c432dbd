package dev.neonbackup.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a GitHub runner and AWS STS answer to a run that assumes a role with its OIDC token, on one
 * loopback port: the runner's ID-token endpoint ({@code ACTIONS_ID_TOKEN_REQUEST_URL}: GET with a
 * bearer request token and an audience, a fresh token per call, {@code {"value": ...}}) and STS's
 * AssumeRoleWithWebIdentity (form-encoded POST, the XML answer and ErrorResponse of the AWS API
 * reference). STS accepts each OIDC token once and issues new credentials each call, expiring
 * {@link #lifetime} later, so that a test can prove they are refreshed mid-run.
 */
public final class StsStandIn implements AutoCloseable {
  public static final String AUDIENCE = "sts.amazonaws.com";
  private static final String TOKEN_PATH = "/_apis/pipelines/idtoken";
  private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  /** How the runner's token endpoint answers. */
  public enum TokenAnswer { TOKEN, SERVER_ERROR, GARBAGE }

  /** How STS answers a valid request. */
  public enum StsAnswer { CREDENTIALS, ACCESS_DENIED }

  /** Credentials STS issued. */
  public record Issued(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

  /** One AssumeRoleWithWebIdentity call: its form, and what it got. */
  public record Call(Map<String, String> form, Instant at, Optional<Issued> issued) {}

  private final HttpServer server;
  private final String roleArn;
  private final String requestToken = "request-token-" + Randoms.alphanumeric(24);
  private final Duration lifetime;
  private final Set<String> unusedIdTokens = ConcurrentHashMap.newKeySet();
  private final List<String> idTokens = new CopyOnWriteArrayList<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> tokenRequestProblems = new CopyOnWriteArrayList<>();
  private volatile TokenAnswer tokenAnswer = TokenAnswer.TOKEN;
  private volatile StsAnswer stsAnswer = StsAnswer.CREDENTIALS;

  private StsStandIn(String roleArn, Duration lifetime) throws IOException {
    this.roleArn = roleArn;
    this.lifetime = lifetime;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext(TOKEN_PATH, this::token);
    server.createContext("/", this::sts);
  }

  /** A stand-in that lets {@code roleArn} be assumed, with credentials living {@code lifetime}. */
  public static StsStandIn start(String roleArn, Duration lifetime) {
    try {
      StsStandIn standIn = new StsStandIn(roleArn, lifetime);
      standIn.server.start();
      FixtureLog.log("started the STS and ID-token stand-in on " + standIn.stsEndpoint());
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For AWS_ENDPOINT_URL_STS. */
  public URI stsEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** For ACTIONS_ID_TOKEN_REQUEST_URL: with a query string of its own, as the runner's has. */
  public String tokenRequestUrl() {
    return stsEndpoint() + TOKEN_PATH + "?api-version=2.0";
  }

  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  public String requestToken() {
    return requestToken;
  }

  public StsStandIn answerTokenRequests(TokenAnswer answer) {
    tokenAnswer = answer;
    return this;
  }

  public StsStandIn answerSts(StsAnswer answer) {
    stsAnswer = answer;
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Every OIDC token the token endpoint handed out, in order. */
  public List<String> idTokens() {
    return List.copyOf(idTokens);
  }

  /** Token requests refused for a missing bearer token or a wrong audience. */
  public List<String> tokenRequestProblems() {
    return List.copyOf(tokenRequestProblems);
  }

  /** The credentials issued under this access key id, if any. */
  public Optional<Issued> issued(String accessKeyId) {
    return Optional.ofNullable(issued.get(accessKeyId));
  }

  public List<Issued> allIssued() {
    return calls.stream().flatMap(call -> call.issued().stream()).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
    String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    if (!exchange.getRequestMethod().equals("GET")
        || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")
        || !authorization.substring(7).equals(requestToken)) {
      tokenRequestProblems.add("unauthorized: " + exchange.getRequestMethod());
      respond(exchange, 401, "application/json", "{\"message\":\"unauthorized\"}");
      return;
    }
    if (!List.of(query.split("&")).containsAll(List.of("api-version=2.0", "audience=sts.amazonaws.com"))) {
      tokenRequestProblems.add("query: " + query);
      respond(exchange, 400, "application/json", "{\"message\":\"bad audience\"}");
      return;
    }
    switch (tokenAnswer) {
      case SERVER_ERROR:
        respond(exchange, 500, "application/json", "{\"message\":\"internal error\"}");
        return;
      case GARBAGE:
        respond(exchange, 200, "text/html", "<html>an unexpected gateway page</html>");
        return;
      default:
        String idToken = "eyJ" + Randoms.alphanumeric(40) + "." + Randoms.alphanumeric(60) + "." + Randoms.alphanumeric(43);
        unusedIdTokens.add(idToken);
        idTokens.add(idToken);
        respond(exchange, 200, "application/json", "{\"count\":1,\"value\":\"" + idToken + "\"}");
    }
  }

  private void sts(HttpExchange exchange) throws IOException {
    Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Instant now = Instant.now();
    Optional<String> refusal = refusal(exchange, form);
    if (refusal.isPresent()) {
      calls.add(new Call(form, now, Optional.empty()));
      String[] codeAndMessage = refusal.get().split(": ", 2);
      respond(exchange, codeAndMessage[0].equals("AccessDenied") ? 403 : 400, "text/xml",
          error(codeAndMessage[0], codeAndMessage[1]));
      return;
    }
    Issued credentials =
        new Issued(
            "ASIA" + Randoms.alphanumeric(16).toUpperCase(Locale.ROOT),
            Randoms.alphanumeric(40),
            "IQoJb3JpZ2luX2Vj" + Randoms.alphanumeric(200),
            now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS));
    issued.put(credentials.accessKeyId(), credentials);
    calls.add(new Call(form, now, Optional.of(credentials)));
    respond(exchange, 200, "text/xml", answer(form, credentials));
  }

  /** "Code: message" when STS would refuse this request; checked as the API reference says. */
  private Optional<String> refusal(HttpExchange exchange, Map<String, String> form) {
    if (!exchange.getRequestMethod().equals("POST")
        || !"AssumeRoleWithWebIdentity".equals(form.get("Action"))
        || !"2011-06-15".equals(form.get("Version"))) {
      return Optional.of("InvalidAction: the stand-in serves AssumeRoleWithWebIdentity 2011-06-15 only");
    }
    String session = form.getOrDefault("RoleSessionName", "");
    if (!session.matches("[\\w+=,.@-]{2,64}")) {
      return Optional.of("ValidationError: 1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
    }
    String duration = form.get("DurationSeconds");
    if (duration != null && !(duration.matches("[0-9]+") && Integer.parseInt(duration) >= 900 && Integer.parseInt(duration) <= 43200)) {
      return Optional.of("ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    if (!unusedIdTokens.remove(form.getOrDefault("WebIdentityToken", ""))) {
      return Optional.of("InvalidIdentityToken: Couldn't retrieve verification key from your identity provider");
    }
    if (stsAnswer == StsAnswer.ACCESS_DENIED || !roleArn.equals(form.get("RoleArn"))) {
      return Optional.of("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
    return Optional.empty();
  }

  private String answer(Map<String, String> form, Issued credentials) {
    String role = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    String account = roleArn.split(":")[4];
    return "<AssumeRoleWithWebIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <AssumeRoleWithWebIdentityResult>\n"
        + "    <SubjectFromWebIdentityToken>repo:octo-org/octo-repo:ref:refs/heads/main</SubjectFromWebIdentityToken>\n"
        + "    <Audience>" + AUDIENCE + "</Audience>\n"
        + "    <AssumedRoleUser>\n"
        + "      <Arn>arn:aws:sts::" + account + ":assumed-role/" + role + "/" + form.get("RoleSessionName") + "</Arn>\n"
        + "      <AssumedRoleId>AROA" + Randoms.alphanumeric(17).toUpperCase(Locale.ROOT) + ":" + form.get("RoleSessionName") + "</AssumedRoleId>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Credentials>\n"
        + "      <SessionToken>" + credentials.sessionToken() + "</SessionToken>\n"
        + "      <SecretAccessKey>" + credentials.secretAccessKey() + "</SecretAccessKey>\n"
        + "      <Expiration>" + credentials.expiration() + "</Expiration>\n"
        + "      <AccessKeyId>" + credentials.accessKeyId() + "</AccessKeyId>\n"
        + "    </Credentials>\n"
        + "    <Provider>arn:aws:iam::" + account + ":oidc-provider/token.actions.githubusercontent.com</Provider>\n"
        + "  </AssumeRoleWithWebIdentityResult>\n"
        + "  <ResponseMetadata><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata>\n"
        + "</AssumeRoleWithWebIdentityResponse>\n";
  }

  private static String error(String code, String message) {
    return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>\n"
        + "  <RequestId>" + java.util.UUID.randomUUID() + "</RequestId>\n"
        + "</ErrorResponse>\n";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
