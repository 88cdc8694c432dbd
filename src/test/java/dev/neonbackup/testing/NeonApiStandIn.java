package dev.neonbackup.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Neon API v2 in miniature, for tests: one project whose branches are real PostgreSQL servers
 * of their own, each under its own Neon-like host name with TLS (see {@link NeonLikeEndpoint}). It
 * answers, on a loopback port, the paths, fields and status codes of Neon's OpenAPI file ({@code
 * public-v2-for-users.gen.yaml}, @neondatabase/api-client 2.7.3) for the project, branches (list
 * with {@code search}, create, get, delete), operations, endpoints, databases (list, create and
 * delete, carried out in the branch's PostgreSQL), roles, a role's password and {@code
 * connection_uri}; every other path is 404.
 *
 * <p>The default branch {@code main} has a database {@code neondb} owned by {@code neondb_owner}
 * (see {@link #mainBranch()}). Creating a branch copies its parent's whole cluster (every database,
 * every role with its password) while the call is answered, so the branch holds exactly the
 * parent's state at the create call. The stand-in cannot go back in time: a {@code
 * parent_timestamp} inside the restore window is accepted and recorded, but the branch gets the
 * parent's <em>current</em> contents, not those at that timestamp; {@code parent_lsn} likewise.
 *
 * <p>A second live branch of the same name is refused with 409 {@code branch already exists}, as
 * Neon does (neonctl's telemetry counts it as the commonest 409).
 *
 * <p>Operations are {@code running} for their first {@link #operationPolls} reads and {@code
 * finished} after; the work itself is done before the create or delete call returns. Requests need
 * {@code Authorization: Bearer <apiKey()>} (else 401); {@link #failNext} scripts failures, {@link
 * #delayNextCreateResponse} and {@link #dropNextCreateResponse} a create whose response is late or
 * lost although the branch exists. Close it to stop every branch's server.
 *
 * <p>Not covered: branches run no PgBouncer, so the {@code -pooler} host that {@code
 * connection_uri?pooled=true} names does not resolve; read-only endpoints, PATCH, restore,
 * pagination and {@code sort_by}; a password is known only for {@code neondb_owner}. Each branch's
 * client connections are on record ({@link NeonBranch#clientConnectionsSince}).
 */
public final class NeonApiStandIn implements AutoCloseable {
  /**
   * A message for a scripted 422 when the project has as many branches as its plan allows (Neon's
   * exact wording is not in its OpenAPI file).
   */
  public static final String BRANCHES_LIMIT_MESSAGE = "branches limit exceeded";

  private static final String BASE = "/api/v2";

  private final String apiKey = "napi_" + Randoms.lowercase(40);
  private final NeonProject project;
  private final NeonFaults faults = new NeonFaults();
  private final NeonApiRoutes routes;
  private final List<NeonApiRequest> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(NeonHttp.daemonThreads());
  private final HttpServer server;
  private volatile int operationPolls = 2;
  private volatile Duration restoreWindow = Duration.ofDays(1);
  private volatile boolean expiresAtAllowed = true;

  private NeonApiStandIn(NeonProject project) throws IOException {
    this.project = project;
    this.routes =
        new NeonApiRoutes(
            project,
            () -> operationPolls,
            () -> new NeonBranchRequest.Rules(Instant.now(), restoreWindow, expiresAtAllowed));
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext(BASE + "/", this::handle);
    server.setExecutor(executor);
  }

  /** Starts the API and the default branch {@code main} (with database {@code neondb}). */
  public static NeonApiStandIn start() {
    long started = System.nanoTime();
    NeonLikeEndpoint main = NeonLikeEndpoint.startComputeOnly();
    try {
      main.compute().createDatabase("neondb");
      NeonApiStandIn standIn = new NeonApiStandIn(new NeonProject(main));
      standIn.server.start();
      FixtureLog.log(
          "started the Neon API stand-in on "
              + standIn.apiUrl()
              + " in "
              + FixtureLog.seconds(started)
              + ", project "
              + standIn.projectId());
      return standIn;
    } catch (IOException | RuntimeException e) {
      main.close();
      throw new IllegalStateException("cannot start the Neon API stand-in: " + e.getMessage(), e);
    }
  }

  /** {@code http://127.0.0.1:<port>/api/v2}: what {@code neon-api-url} takes. */
  public String apiUrl() {
    return "http://"
        + server.getAddress().getHostString()
        + ":"
        + server.getAddress().getPort()
        + BASE;
  }

  public String apiKey() {
    return apiKey;
  }

  public String projectId() {
    return project.id();
  }

  /** The default branch {@code main}: write to it through {@link NeonBranch#server()}. */
  public NeonBranch mainBranch() {
    return project.defaultBranch();
  }

  /** The branch {@code branchId}, live or deleted. */
  public Optional<NeonBranch> branch(String branchId) {
    return project.find(branchId);
  }

  /** Every branch ever made, live or deleted, in the order they were made ({@code main} first). */
  public List<NeonBranch> allBranches() {
    return project.allBranches();
  }

  /** The branches that exist now, {@code main} first. */
  public List<NeonBranch> liveBranches() {
    return project.liveBranches();
  }

  /** Whether {@code branchId} existed and was deleted through the API. */
  public boolean wasDeleted(String branchId) {
    return project.find(branchId).map(NeonBranch::deleted).orElse(false);
  }

  /** Every request so far, in order of arrival. */
  public List<NeonApiRequest> requests() {
    return List.copyOf(requests);
  }

  /** How many reads of an operation answer {@code running} before it is {@code finished}. */
  public NeonApiStandIn operationPolls(int runningPolls) {
    this.operationPolls = runningPolls;
    return this;
  }

  /** How far back {@code parent_timestamp} may reach (Neon's history retention); 1 day. */
  public NeonApiStandIn restoreWindow(Duration window) {
    this.restoreWindow = window;
    return this;
  }

  /** Refuses {@code expires_at} with 400, as for an account outside the Early Access Program. */
  public NeonApiStandIn refuseExpiresAt(boolean refuse) {
    this.expiresAtAllowed = !refuse;
    return this;
  }

  /**
   * Answers the next {@code times} requests of {@code method} whose path below {@code /api/v2}
   * matches {@code pathRegex} with {@code status}, {@code headers} and {@code body} instead.
   */
  public void failNext(
      String method,
      String pathRegex,
      int status,
      Map<String, String> headers,
      String body,
      int times) {
    faults.add(method, pathRegex, status, headers, body, times);
  }

  /**
   * Like {@link #failNext}, with Neon's error body {@code {"code": "", "message": message}}, e.g.
   * {@code failNextWithError("POST", "/projects/[^/]+/branches", 429, Map.of("Retry-After", "1"),
   * "rate limit exceeded", 1)}.
   */
  public void failNextWithError(
      String method,
      String pathRegex,
      int status,
      Map<String, String> headers,
      String message,
      int times) {
    failNext(method, pathRegex, status, headers, NeonHttp.json(NeonJson.error(message)), times);
  }

  /**
   * The next branch creation (the next POST to the branches, whatever it gets) makes the branch,
   * then waits {@code delay} before it answers.
   */
  public void delayNextCreateResponse(Duration delay) {
    faults.afterNextCreate(NeonFaults.CreateAnswer.DELAY, delay);
  }

  /** The next branch creation makes the branch, then closes the connection without an answer. */
  public void dropNextCreateResponse() {
    faults.afterNextCreate(NeonFaults.CreateAnswer.DROP, Duration.ZERO);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath().substring(BASE.length());
      String query = exchange.getRequestURI().getRawQuery();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new NeonApiRequest(method, path, query, body, authorization));
      Optional<NeonFaults.Fault> fault = faults.take(method, path);
      if (fault.isPresent()) {
        fault.get().headers().forEach(exchange.getResponseHeaders()::set);
        NeonHttp.send(exchange, fault.get().status(), fault.get().body());
      } else if (!("Bearer " + apiKey).equals(authorization)) {
        NeonHttp.send(
            exchange,
            401,
            NeonHttp.json(NeonJson.error("authentication failed: missing or invalid API key")));
      } else {
        answer(exchange, method, path, query, body);
      }
    }
  }

  private void answer(HttpExchange exchange, String method, String path, String query, String body)
      throws IOException {
    // taken on arrival, so that a test that sees the branch appear can script the next create
    Map.Entry<NeonFaults.CreateAnswer, Duration> afterCreate =
        method.equals("POST") && path.matches("/projects/[^/]+/branches")
            ? faults.takeCreateAnswer()
            : Map.entry(NeonFaults.CreateAnswer.ANSWER, Duration.ZERO);
    NeonApiRoutes.Answer answer;
    try {
      answer = routes.answer(method, path, NeonHttp.parseQuery(query), NeonHttp.parseBody(body));
    } catch (NeonApiError e) {
      NeonHttp.send(exchange, e.status(), NeonHttp.json(NeonJson.error(e.getMessage())));
      return;
    } catch (RuntimeException e) {
      FixtureLog.log("the Neon API stand-in failed on " + method + " " + path + ": " + e);
      NeonHttp.send(
          exchange, 500, NeonHttp.json(NeonJson.error("internal error: " + e.getMessage())));
      return;
    }
    if (answer.status() == 201 && afterCreate.getKey() == NeonFaults.CreateAnswer.DROP) {
      return; // closing the exchange before any header closes the connection
    }
    if (answer.status() == 201) {
      NeonHttp.sleep(afterCreate.getValue());
    }
    NeonHttp.send(
        exchange, answer.status(), answer.json() == null ? null : NeonHttp.json(answer.json()));
  }

  /** Stops the API and every branch's server; removes their host names and files. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    project.close();
  }

  @Override
  public String toString() {
    return "Neon API stand-in at " + apiUrl() + " (project " + projectId() + ")";
  }
}
