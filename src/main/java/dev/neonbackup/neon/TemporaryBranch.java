package dev.neonbackup.neon;

import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.report.Secret;
import dev.neonbackup.shutdown.ShutdownPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The branch a run dumps instead of production: created from the parent (at an instant, when asked)
 * with a read_write endpoint and an expiry, registered with the shutdown path, waited for, and
 * deleted on {@link #close()}. A failed delete is a warning that names the branch and its expiry,
 * never a failure of the run. Restore's target-branch ({@link #createNamed}) is one too, until the
 * restore succeeds and {@link #keep()}s it.
 */
public final class TemporaryBranch implements AutoCloseable {
  /** How long Neon keeps the branch should the run be killed before deleting it. */
  public static final Duration TTL = Duration.ofHours(6);

  private final NeonApi api;
  private final String projectId;
  private final Optional<Instant> timestamp;
  private final Reporter reporter;
  private final Branch parent;
  private final Made made;
  private final ShutdownPath.Registration registration;
  private Optional<String> endpointHost = Optional.empty();
  private boolean closed;

  /**
   * What to branch: {@code parent} is neon-branch (an id or a name; empty: the default branch),
   * {@code timestamp} snapshot-timestamp (empty: now), {@code runTime} the run's timestamp and
   * {@code token} a random word, which name the branch (see {@link BranchNames#forRun}).
   */
  public record Plan(
      String projectId,
      Optional<String> parent,
      Optional<Instant> timestamp,
      Instant runTime,
      String token) {
    /** A plan whose branch name no other run gets, even one started in the same second. */
    public static Plan of(
        String projectId, Optional<String> parent, Optional<Instant> timestamp, Instant runTime) {
      return new Plan(projectId, parent, timestamp, runTime, BranchNames.randomToken());
    }
  }

  /** The creation's answer, and the expiry the branch got (none when Neon refused one). */
  private record Made(CreatedBranch created, Optional<Instant> expiresAt) {}

  private TemporaryBranch(
      NeonApi api,
      Plan plan,
      Reporter reporter,
      Branch parent,
      Made made,
      ShutdownPath.Registration registration) {
    this.api = api;
    this.projectId = plan.projectId();
    this.timestamp = plan.timestamp();
    this.reporter = reporter;
    this.parent = parent;
    this.made = made;
    this.registration = registration;
  }

  /**
   * Sweeps this program's stale branches, creates the branch and waits until it is ready; if the
   * wait fails, the branch is deleted again before the failure is thrown.
   */
  public static TemporaryBranch create(NeonApi api, Plan plan, Reporter reporter) {
    Branch parent = parentOf(api, plan.projectId(), plan.parent());
    BranchSweep.run(api, plan.projectId(), reporter);
    BranchRequest request =
        new BranchRequest(
            Optional.of(parent.id()),
            plan.timestamp(),
            BranchNames.forRun(plan.runTime(), plan.token()),
            Optional.of(api.clock().instant().plus(TTL)));
    return make(api, plan, parent, request, reporter, true);
  }

  /**
   * Creates the branch {@code name} of {@code parent} (already looked up) now, with an expiry
   * {@code ttl} ahead when given, and waits until it is ready; on failure it is deleted again. An
   * account that refuses the expiry fails the creation (exit 11): the caller asked for one. The
   * branch is deleted on {@link #close()} unless {@link #keep()} was called first.
   */
  public static TemporaryBranch createNamed(
      NeonApi api,
      String projectId,
      Branch parent,
      String name,
      Optional<Duration> ttl,
      Reporter reporter) {
    BranchRequest request =
        new BranchRequest(
            Optional.of(parent.id()),
            Optional.empty(),
            name,
            ttl.map(t -> api.clock().instant().plus(t)));
    Plan plan = new Plan(projectId, Optional.of(parent.id()), Optional.empty(), api.clock().instant(), "");
    return make(api, plan, parent, request, reporter, false);
  }

  /** The branch {@code given} names (an id or an exact name); empty: the default branch. */
  public static Branch parentOf(NeonApi api, String projectId, Optional<String> given) {
    return given
        .map(idOrName -> api.findBranch(projectId, idOrName))
        .orElseGet(() -> api.defaultBranch(projectId));
  }

  private static TemporaryBranch make(
      NeonApi api,
      Plan plan,
      Branch parent,
      BranchRequest request,
      Reporter reporter,
      boolean withoutExpiryIfRefused) {
    String project = plan.projectId();
    reporter.info(
        "creating Neon branch '"
            + request.name()
            + "' from "
            + parent.describe()
            + plan.timestamp().map(at -> " as of " + BranchNames.rfc3339(at)).orElse(""));
    ShutdownPath path = ShutdownPath.process();
    TemporaryBranch branch;
    try (ShutdownPath.Creation creation = path.creating("the Neon branch " + request.name())) {
      Made made =
          withoutExpiryIfRefused
              ? createAllowingNoExpiry(api, project, request, reporter)
              : createRequiringExpiry(api, project, request);
      Branch created = made.created().branch();
      ShutdownPath.Registration registration =
          path.register(
              ShutdownPath.Kind.BRANCH,
              "the Neon branch " + created.describe(),
              () -> api.deleteBranch(project, created.id(), true));
      branch = new TemporaryBranch(api, plan, reporter, parent, made, registration);
    }
    try {
      branch.awaitReady();
      return branch;
    } catch (RuntimeException e) {
      branch.close();
      throw e;
    }
  }

  private static Made createAllowingNoExpiry(
      NeonApi api, String project, BranchRequest request, Reporter reporter) {
    try {
      return new Made(api.createBranch(project, request), request.expiresAt());
    } catch (NeonException e) {
      if (!NeonErrors.refusesExpiry(e.status(), e.neonMessage())) {
        throw e;
      }
      reporter.info(
          "the Neon API refused an expiry for branch '"
              + request.name()
              + "' "
              + NeonErrors.quote(e.status(), e.neonMessage())
              + ": creating it without one (if this"
              + " run is killed before it deletes the branch, a later run deletes it after 24 h)");
      return new Made(api.createBranch(project, request.withoutExpiry()), Optional.empty());
    }
  }

  private static Made createRequiringExpiry(NeonApi api, String project, BranchRequest request) {
    try {
      return new Made(api.createBranch(project, request), request.expiresAt());
    } catch (NeonException e) {
      if (e.status() == 409) {
        throw NeonErrors.targetNameTaken(request.name(), project, e);
      }
      if (request.expiresAt().isEmpty() || !NeonErrors.refusesExpiry(e.status(), e.neonMessage())) {
        throw e;
      }
      throw NeonErrors.expiryRefused(request.name(), e);
    }
  }

  private void awaitReady() {
    OperationWait wait = new OperationWait(api, projectId, reporter);
    CreatedBranch created = made.created();
    if (created.recovered()) {
      wait.forReadyState(created.branch());
    } else {
      wait.forOperations(created.branch(), created.operations());
    }
    List<Endpoint> endpoints =
        created.endpoints().isEmpty()
            ? api.endpoints(projectId, branch().id())
            : created.endpoints();
    endpointHost =
        endpoints.stream()
            .filter(e -> e.type().equals("read_write"))
            .map(Endpoint::host)
            .findFirst();
  }

  /** The temporary branch. */
  public Branch branch() {
    return made.created().branch();
  }

  /** The branch it was made from. */
  public Branch parent() {
    return parent;
  }

  /** When Neon deletes it by itself; empty when the account refused an expiry. */
  public Optional<Instant> expiresAt() {
    return made.expiresAt();
  }

  /**
   * Where the dump comes from, for the manifest: the parent's LSN as Neon reports it, and the
   * instant Neon reports (or else the one asked for).
   */
  public SnapshotSource source() {
    Branch branch = branch();
    return new SnapshotSource(
        projectId,
        parent.id(),
        parent.name(),
        branch.id(),
        branch.name(),
        branch.parentLsn(),
        branch.parentTimestamp().or(() -> timestamp),
        endpointHost);
  }

  /** The branch's databases a backup may choose among, with their owners. */
  public List<Database> databases() {
    return BranchDatabases.of(api, projectId, branch().id());
  }

  /**
   * The direct connection string of {@code database} as {@code role} on this branch. The password
   * is {@code password} when given, else the one Neon's URI carries, else Neon's reveal_password.
   */
  public ConnectionString connectionString(
      String database, String role, Optional<Secret> password) {
    if (password.isPresent()) {
      return api.connectionString(projectId, branch().id(), database, role).withPassword(password.get());
    }
    return api.connectionStringWithPassword(projectId, branch().id(), database, role);
  }

  /** The branch stays when this is closed: no longer deleted on a signal nor by {@link #close()}. */
  public void keep() {
    closed = true;
    registration.close();
  }

  /** Deletes the branch (unless kept); a failure is a warning. Safe to call twice. */
  @Override
  public void close() {
    delete();
  }

  /**
   * {@link #close()}, answering whether the branch is gone (false when it was kept or could not be
   * deleted; the warning then says what remains).
   */
  public boolean delete() {
    if (closed) {
      return false;
    }
    closed = true;
    String name = "the temporary Neon branch " + branch().describe();
    try {
      boolean deleted = api.deleteBranch(projectId, branch().id(), false);
      reporter.info(deleted ? "deleted " + name : name + " was already gone");
      return true;
    } catch (RuntimeException e) {
      String why = e instanceof NeonException ? e.getMessage() : e.getClass().getSimpleName();
      reporter.warn("could not delete " + name + ": " + why + "; " + expiryAdvice());
      return false;
    } finally {
      registration.close();
    }
  }

  private String expiryAdvice() {
    return made.expiresAt()
        .map(at -> "Neon deletes it by itself at " + BranchNames.rfc3339(at))
        .orElse(
            "it has no expiry: delete it in the Neon console"
                + (BranchNames.isOurs(branch().name()) ? " (a later run deletes it once it is 24 h old)" : ""));
  }
}
