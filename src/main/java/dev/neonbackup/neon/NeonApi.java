package dev.neonbackup.neon;

import static dev.neonbackup.neon.NeonPaths.branchPath;
import static dev.neonbackup.neon.NeonPaths.encode;
import static dev.neonbackup.neon.NeonPaths.projectPath;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.neon.Call.Subject;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.report.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Neon API (v2) as typed calls: branches, operations, databases, roles, connection URIs. Paths,
 * fields and statuses follow the OpenAPI description {@code public-v2-for-users.gen.yaml}. Every
 * call is retried as {@link RetryPolicy} says; a failure is a {@link NeonException} (exit 11) that
 * names the input to change and never holds the key.
 */
public final class NeonApi {
  public static final String DEFAULT_URL = "https://console.neon.tech/api/v2";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_PAGES = 1000;

  private final NeonHttp http;
  private final BranchCreation creation;
  private final DatabaseCalls databases;
  private final Clock clock;
  private final Sleeper sleeper;

  /** A client with real time and pauses: {@code baseUrl} as {@link NeonInputs#apiUrl} checks it. */
  public NeonApi(URI baseUrl, Secret key) {
    this(baseUrl, key, Clock.systemUTC(), Sleeper.THREAD, DEFAULT_TIMEOUT);
  }

  /** A client whose clock and pauses the caller controls, with a timeout for each try. */
  public NeonApi(URI baseUrl, Secret key, Clock clock, Sleeper sleeper, Duration timeout) {
    this.http = new NeonHttp(baseUrl, key, clock, sleeper, timeout);
    this.creation = new BranchCreation(this, http);
    this.databases = new DatabaseCalls(http);
    this.clock = clock;
    this.sleeper = sleeper;
  }

  Clock clock() {
    return clock;
  }

  Sleeper sleeper() {
    return sleeper;
  }

  /** Deleting and creating a branch's databases. */
  DatabaseCalls databaseCalls() {
    return databases;
  }

  /**
   * The same failure with the key redacted from its message, for messages built from Neon's words.
   */
  NeonException redacted(NeonException failure) {
    return http.redacted(failure);
  }

  /**
   * The project's branches; with {@code search}, those whose name or id contains it (Neon matches
   * partially: see {@link #branchesNamed}). Follows the pages.
   */
  public List<Branch> listBranches(String projectId, Optional<String> search) {
    List<Branch> branches = new ArrayList<>();
    Set<String> cursors = new HashSet<>();
    Optional<String> cursor = Optional.empty();
    for (int page = 0; page < MAX_PAGES; page++) {
      String query =
          search.map(s -> "&search=" + encode(s)).orElse("")
              + cursor.map(c -> "&cursor=" + encode(c)).orElse("");
      String path = projectPath(projectId) + "/branches" + query.replaceFirst("^&", "?");
      Call call =
          Call.get(
              path,
              "listing the branches of project '" + projectId + "'",
              Subject.PROJECT,
              projectId);
      Map<String, Object> json = http.send(call, Optional.empty()).json();
      List<Map<String, Object>> onPage = NeonJson.list(json, "branches");
      onPage.forEach(b -> branches.add(NeonJson.branch(b)));
      cursor =
          NeonJson.optional(NeonJson.object(json, "pagination"), "next")
              .filter(next -> !next.isEmpty() && cursors.add(next));
      if (onPage.isEmpty() || cursor.isEmpty()) {
        break;
      }
    }
    return branches;
  }

  /** The branches named exactly {@code name} (Neon's search also matches parts of names). */
  public List<Branch> branchesNamed(String projectId, String name) {
    return listBranches(projectId, Optional.of(name)).stream()
        .filter(branch -> branch.name().equals(name))
        .toList();
  }

  /** One branch by its id ({@code br-...}); a 404 names neon-branch. */
  public Branch branch(String projectId, String branchId) {
    Call call =
        Call.get(
            branchPath(projectId, branchId),
            "reading branch '" + branchId + "'",
            Subject.BRANCH,
            branchId);
    return NeonJson.branch(NeonJson.object(http.send(call, Optional.empty()).json(), "branch"));
  }

  /** The branch {@code idOrName} names: an id ({@code br-...}) or an exact name (neon-branch). */
  public Branch findBranch(String projectId, String idOrName) {
    if (Branch.looksLikeId(idOrName)) {
      return branch(projectId, idOrName);
    }
    List<Branch> named = branchesNamed(projectId, idOrName);
    if (named.size() == 1) {
      return named.get(0);
    }
    // The name is the user's: should it be the key, pasted into the wrong input, it is redacted.
    throw redacted(
        new NeonException(
            "neon-branch: project '"
                + projectId
                + "' has "
                + (named.isEmpty() ? "no branch" : named.size() + " branches")
                + " named '"
                + idOrName
                + "': give a branch id (br-...) or an existing name",
            404,
            "",
            false));
  }

  /** The project's default branch (the one with {@code default: true}). */
  public Branch defaultBranch(String projectId) {
    return listBranches(projectId, Optional.empty()).stream()
        .filter(Branch::isDefault)
        .findFirst()
        .orElseThrow(
            () ->
                new NeonException(
                    "neon-project-id: project '"
                        + projectId
                        + "' lists no default branch: set neon-branch",
                    404,
                    "",
                    false));
  }

  /**
   * Creates a branch with a read_write endpoint. A creation that got no clear answer (a timeout, a
   * 5xx other than 503) may have been carried out: the branch is then looked for by its exact name
   * and used if it exists, so no second branch is ever created.
   */
  public CreatedBranch createBranch(String projectId, BranchRequest request) {
    return creation.create(projectId, request);
  }

  /** One operation, for its status. */
  public Operation operation(String projectId, String operationId) {
    Call call =
        Call.get(
            projectPath(projectId) + "/operations/" + encode(operationId),
            "reading operation " + operationId,
            Subject.OPERATION,
            operationId);
    return NeonJson.operation(
        NeonJson.object(http.send(call, Optional.empty()).json(), "operation"));
  }

  /**
   * Deletes a branch: true when Neon deleted it (200), false when it was already gone (204, or
   * 404). {@code oneTry} for the shutdown path, which has no time for retries.
   */
  public boolean deleteBranch(String projectId, String branchId, boolean oneTry) {
    Call call =
        new Call(
            "DELETE",
            branchPath(projectId, branchId),
            "deleting branch '" + branchId + "'",
            Subject.TEMPORARY_BRANCH,
            branchId,
            Optional.empty());
    try {
      int tries = oneTry ? 1 : RetryPolicy.MAX_TRIES;
      return http.send(call, Optional.empty(), tries).status() != 204;
    } catch (NeonException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The compute endpoints of a branch. */
  public List<Endpoint> endpoints(String projectId, String branchId) {
    return ofBranch(projectId, branchId, "endpoints", NeonJson::endpoint);
  }

  /** The databases of a branch, each with its owner role. */
  public List<Database> databases(String projectId, String branchId) {
    return ofBranch(projectId, branchId, "databases", NeonJson::database);
  }

  /** The Postgres roles of a branch. */
  public List<Role> roles(String projectId, String branchId) {
    return ofBranch(projectId, branchId, "roles", NeonJson::role);
  }

  /** GET /projects/{id}/branches/{branch_id}/{things}: the array of the same name, read. */
  private <T> List<T> ofBranch(
      String projectId, String branchId, String things, Function<Map<String, Object>, T> reader) {
    Call call =
        Call.get(
            branchPath(projectId, branchId) + "/" + things,
            "listing the " + things + " of branch '" + branchId + "'",
            Subject.BRANCH,
            branchId);
    return NeonJson.list(http.send(call, Optional.empty()).json(), things).stream()
        .map(reader)
        .toList();
  }

  /** A role's password (412 when the project does not store passwords). */
  public Secret revealPassword(String projectId, String branchId, String role) {
    Call call =
        Call.get(
            branchPath(projectId, branchId) + "/roles/" + encode(role) + "/reveal_password",
            "revealing the password of role '" + role + "'",
            Subject.ROLE,
            role);
    return Secret.of(NeonJson.text(http.send(call, Optional.empty()).json(), "password"));
  }

  /**
   * The direct (never pooled) connection string of {@code database} as {@code role} on a branch's
   * read_write endpoint, from {@code GET /projects/{id}/connection_uri}.
   */
  public ConnectionString connectionString(
      String projectId, String branchId, String database, String role) {
    String path =
        projectPath(projectId)
            + "/connection_uri?branch_id="
            + encode(branchId)
            + "&database_name="
            + encode(database)
            + "&role_name="
            + encode(role)
            + "&pooled=false";
    Call call =
        Call.get(
            path,
            "getting the connection URI of database '"
                + database
                + "' as role '"
                + role
                + "' on branch '"
                + branchId
                + "'",
            Subject.DATABASE,
            database);
    Secret uri = Secret.of(NeonJson.text(http.send(call, Optional.empty()).json(), "uri"));
    try {
      return ConnectionString.parse(uri.reveal(), "the Neon API's connection URI");
    } catch (FailureException e) {
      // Neon's answer, not the user's input: the message never quotes the URI.
      throw new NeonException(e.getMessage(), 200, "", false);
    }
  }

  /**
   * {@link #connectionString} with a password: the one Neon's URI carries, else the role's from
   * reveal_password.
   */
  public ConnectionString connectionStringWithPassword(
      String projectId, String branchId, String database, String role) {
    ConnectionString uri = connectionString(projectId, branchId, database, role);
    if (uri.password().filter(p -> !p.isEmpty()).isPresent()) {
      return uri;
    }
    return uri.withPassword(revealPassword(projectId, branchId, role));
  }
}
