package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.NeonApiStandIn;
import dev.neonbackup.testing.NeonBranch;
import dev.neonbackup.testing.NeonLikeEndpoint;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code restore --target-branch}: a backup of the stand-in's production branch restored into a new
 * branch made for it (each branch a real PostgreSQL copied from its parent). The branch holds the
 * archive's data, not production's newer rows; production gets no connection; the branch is kept
 * with its expiry when asked; an existing name, or target-url with target-branch, is refused
 * before anything is made; a failure after the branch was made deletes it; no secret is printed.
 */
class RestoreToBranchIT {
  private static NeonApiStandIn neon;
  private static S3Server s3;
  private static String bucket;
  private static String key;
  /** What the archive holds: production's tables when it was backed up. */
  private static Map<String, String> archived;

  @BeforeAll
  static void backUpProduction() {
    neon = NeonApiStandIn.start();
    s3 = S3Server.shared();
    bucket = s3.createBucket();
    neon.mainBranch().server().execute(
        "neondb",
        "CREATE TABLE notes (id int PRIMARY KEY, body text);"
            + " INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 50) g;"
            + " CREATE SCHEMA sales; CREATE TABLE sales.orders (id int, total numeric);"
            + " INSERT INTO sales.orders VALUES (1, 9.5), (2, 12.25), (2, 12.25)");
    ProgramRun.Result backup = neonInputs(ProgramRun.inTempDir()).storage(s3, bucket).run();
    assertEquals(0, backup.exitCode(), backup::describe);
    key = backup.outputs().get("object-key");
    archived = PgTools.tableFingerprints(neon.mainBranch().server(), "neondb");
    // Production moves on after the backup: the restored branch must not show this.
    neon.mainBranch().server().execute("neondb", "INSERT INTO notes VALUES (51, 'after the backup')");
  }

  @AfterAll
  static void stopServers() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void restores_the_archive_into_a_new_branch_without_touching_production() throws Exception {
    NeonLikeEndpoint.Mark production = neon.mainBranch().mark();
    int before = neon.allBranches().size();

    ProgramRun.Result run = restore("tuesday-copy").env("GITHUB_ACTIONS", "true").run();

    assertEquals(0, run.exitCode(), run::describe);
    NeonBranch made = onlyCreatedBranch(before);
    assertEquals("tuesday-copy", made.name());
    assertEquals(neon.mainBranch().id(), made.parentId());
    assertFalse(made.deleted(), "the branch is kept");
    assertNull(made.expiresAt(), "without target-branch-ttl the branch does not expire");
    assertEquals(List.of(), neon.mainBranch().clientConnectionsSince(production),
        "production got a connection from the restore\n" + run.describe());
    assertEquals(archived, PgTools.tableFingerprints(made.server(), "neondb"), "the branch holds the archive");
    assertNotEquals(archived, PgTools.tableFingerprints(neon.mainBranch().server(), "neondb"),
        "production moved on after the backup, and is as it was");

    Map<String, String> outputs = run.outputs();
    assertEquals(made.id(), outputs.get("target-branch-id"), run::describe);
    assertEquals("tuesday-copy", outputs.get("target-branch"), run::describe);
    assertEquals(key, outputs.get("object-key"), run::describe);
    assertTrue(outputs.get("target-url").contains(":***@" + made.endpoint().directHost()), outputs.toString());
    // The console page on the API's host: the stand-in's here, console.neon.tech for Neon's API.
    java.net.URI api = java.net.URI.create(neon.apiUrl());
    String console = api.getScheme() + "://" + api.getRawAuthority() + "/app/projects/" + neon.projectId()
        + "/branches/" + made.id();
    assertTrue(run.stdout().contains(console), run::describe);
    assertTrue(run.stepSummary().contains(console), run.stepSummary());
    assertTrue(run.stepSummary().contains("`tuesday-copy`"), run.stepSummary());
    String password = made.server().password();
    assertFalse(run.outputExceptMasks().contains(password), "the branch's password was printed");
    assertFalse(run.outputExceptMasks().contains(neon.apiKey()), "the API key was printed");
    assertTrue(run.stdout().contains("::add-mask::" + neon.apiKey()), run::describe);
    assertTrue(run.stdout().contains("::add-mask::" + password.replace("%", "%25")), "the runner masks the password");
    assertTrue(
        neon.requests().stream().anyMatch(r -> r.method().equals("DELETE") && r.path().endsWith("/branches/" + made.id() + "/databases/neondb")),
        "the branch's copy of the database was dropped through the API");

    // The check above can fail: a client's connection to production is on record.
    int seen = neon.mainBranch().clientConnectionsSince(production).size();
    try (Connection connection = NeonApiCalls.connect(neon.mainBranch().connectionUri("neondb"))) {
      assertTrue(connection.isValid(5));
    }
    assertEquals(seen + 1, neon.mainBranch().clientConnectionsSince(production).size());
  }

  @Test
  void a_ttl_sets_the_branch_expiry_and_only_an_exact_name_counts_as_taken() {
    int before = neon.allBranches().size();
    ProgramRun.Result first = restore("weekly-check").run();
    assertEquals(0, first.exitCode(), first::describe);
    Instant asked = Instant.now();
    ProgramRun.Result run = restore("weekly").input("target-branch-ttl", "2h").run();
    assertEquals(0, run.exitCode(), "'weekly-check' exists, 'weekly' does not\n" + run.describe());

    NeonBranch made = neon.allBranches().get(before + 1);
    assertEquals("weekly", made.name());
    Instant expires = Instant.parse(made.expiresAt());
    assertTrue(
        !expires.isBefore(asked.plus(Duration.ofHours(2)).minusSeconds(5))
            && !expires.isAfter(Instant.now().plus(Duration.ofHours(2)).plusSeconds(5)),
        "expires_at " + expires + " is 2 h after the run");
    assertEquals(archived, PgTools.tableFingerprints(made.server(), "neondb"));
  }

  @Test
  void an_existing_branch_name_is_refused_before_anything_is_made() {
    String taken = neon.mainBranch().name();
    int before = neon.allBranches().size();
    int requests = neon.requests().size();
    ProgramRun.Result run = restore(taken).run();
    assertEquals(2, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertTrue(run.errorLines().get(0).contains("target-branch"), run::describe);
    assertTrue(run.errorLines().get(0).contains("already has a branch named '" + taken + "'"), run::describe);
    assertEquals(before, neon.allBranches().size(), "no branch made");
    assertTrue(neon.requests().stream().skip(requests).noneMatch(r -> !r.method().equals("GET")),
        "only reads reached the API");
  }

  @Test
  void target_url_and_target_branch_together_are_refused_naming_both() {
    int requests = neon.requests().size();
    ProgramRun.Result run =
        restore("both").input("target-url", neon.mainBranch().connectionUri("neondb")).run();
    assertEquals(2, run.exitCode(), run::describe);
    String line = run.errorLines().get(0);
    assertTrue(line.contains("target-url") && line.contains("target-branch"), run::describe);
    assertEquals(requests, neon.requests().size(), "the Neon API was not called");
    assertFalse(run.outputExceptMasks().contains(neon.apiKey()), run::describe);
  }

  @Test
  void a_failure_after_the_branch_was_made_deletes_it_and_says_so() {
    int before = neon.allBranches().size();
    neon.failNextWithError("POST", "/projects/[^/]+/branches/[^/]+/databases", 400, Map.of(), "database quota exceeded", 1);
    ProgramRun.Result run = restore("doomed").run();
    assertEquals(11, run.exitCode(), run::describe);
    NeonBranch made = onlyCreatedBranch(before);
    assertTrue(made.deleted(), run::describe);
    assertTrue(run.errorLines().get(0).endsWith("; the new branch 'doomed' (" + made.id() + ") was deleted"), run::describe);
    assertFalse(run.outputExceptMasks().contains(neon.apiKey()), run::describe);
  }

  @Test
  void an_account_that_refuses_an_expiry_fails_with_exit_11_and_no_branch() {
    int before = neon.allBranches().size();
    neon.refuseExpiresAt(true);
    try {
      ProgramRun.Result run = restore("expiring").input("target-branch-ttl", "1d").run();
      assertEquals(11, run.exitCode(), run::describe);
      assertTrue(run.errorLines().get(0).contains("target-branch-ttl"), run::describe);
      assertTrue(run.errorLines().get(0).contains("no branch was created"), run::describe);
      assertEquals(before, neon.allBranches().size(), "no branch without the expiry asked for");
    } finally {
      neon.refuseExpiresAt(false);
    }
  }

  @Test
  void a_database_the_parent_no_longer_has_is_made_in_the_branch_owned_by_the_first_database_s_owner() {
    neon.mainBranch().server().execute("neondb", "CREATE DATABASE ledger OWNER neondb_owner");
    neon.mainBranch().server().execute("ledger", "CREATE TABLE entries (id int); INSERT INTO entries VALUES (1), (2), (3)");
    String ledgerBucket = s3.createBucket();
    ProgramRun.Result backup = neonInputs(ProgramRun.inTempDir()).input("databases", "ledger").storage(s3, ledgerBucket).run();
    assertEquals(0, backup.exitCode(), backup::describe);
    Map<String, String> ledger = PgTools.tableFingerprints(neon.mainBranch().server(), "ledger");
    neon.mainBranch().server().dropDatabase("ledger");
    int before = neon.allBranches().size();

    ProgramRun.Result run =
        neonInputs(ProgramRun.inTempDir())
            .storage(s3, ledgerBucket)
            .input("backup-key", backup.outputs().get("object-key"))
            .input("target-branch", "ledger-back")
            .args("restore")
            .run();

    assertEquals(0, run.exitCode(), run::describe);
    NeonBranch made = onlyCreatedBranch(before);
    assertEquals(ledger, PgTools.tableFingerprints(made.server(), "ledger"));
    assertEquals("neondb_owner", PgTools.queryString(made.server(), "ledger",
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'ledger'"));
    assertTrue(run.stderr().contains("has no database 'ledger'"), run::describe);
  }

  @Test
  void sigterm_mid_restore_deletes_the_new_branch_within_the_grace_period() {
    neon.mainBranch().server().execute("neondb", "CREATE DATABASE big OWNER neondb_owner");
    try {
      neon.mainBranch().server().execute(
          "big",
          "CREATE TABLE big (id int, payload text); INSERT INTO big SELECT g, md5(g::text) || md5((g * 3)::text)"
              + " FROM generate_series(1, 600000) g");
      String bigBucket = s3.createBucket();
      ProgramRun.Result backup =
          neonInputs(ProgramRun.inTempDir()).input("databases", "big").input("compression", "9").storage(s3, bigBucket).run();
      assertEquals(0, backup.exitCode(), backup::describe);
      int before = neon.allBranches().size();
      ProgramRun program =
          neonInputs(ProgramRun.inTempDir())
              .storage(s3, bigBucket)
              .input("backup-key", backup.outputs().get("object-key"))
              .input("target-branch", "big-copy")
              .env("GITHUB_ACTIONS", "true")
              .args("restore");
      dev.neonbackup.testing.RunningProgram running = program.start();
      running.awaitLog("processing data for table \"public.big\"", Duration.ofSeconds(90));
      ProgramRun.Result result =
          CancelledRuns.signal(running, CancelledRuns.SIGTERM_STATUS, () -> running.signal("TERM"));
      NeonBranch made = onlyCreatedBranch(before);
      assertTrue(made.deleted(), "a cancelled restore leaves no branch\n" + result.describe());
      assertTrue(result.stdout().contains("the Neon branch 'big-copy'"), "the cancel line names the branch\n" + result.describe());
    } finally {
      neon.mainBranch().server().dropDatabase("big");
    }
  }

  private static ProgramRun restore(String branch) {
    return neonInputs(ProgramRun.inTempDir())
        .storage(s3, bucket)
        .input("backup-key", "latest")
        .input("target-branch", branch)
        .args("restore");
  }

  private static ProgramRun neonInputs(ProgramRun program) {
    return program
        .input("neon-api-key", neon.apiKey())
        .input("neon-project-id", neon.projectId())
        .input("neon-api-url", neon.apiUrl())
        .timeout(Duration.ofMinutes(3));
  }

  private static NeonBranch onlyCreatedBranch(int before) {
    List<NeonBranch> made = neon.allBranches().stream().skip(before).toList();
    assertEquals(1, made.size(), made.toString());
    return made.get(0);
  }
}
