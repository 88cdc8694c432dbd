package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.testing.NeonApiRequest;
import dev.neonbackup.testing.NeonApiStandIn;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backup from a temporary Neon branch, against the stand-in of the Neon API whose branches are
 * real PostgreSQL clusters: the archive holds the branch's state (a row written to main after the
 * branch was made is not in it), the branch is deleted on every path, the API's hiccups are
 * retried, and its failures are exit 11 without the key.
 */
class NeonSnapshotIT {
  private static NeonApiStandIn neon;
  private static S3Server s3;

  @BeforeAll
  static void startServers() {
    neon = NeonApiStandIn.start();
    s3 = S3Server.shared();
    neon.mainBranch().server().execute(
        "neondb", "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'before')");
  }

  @AfterAll
  static void stopServers() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void dumps_the_branch_as_it_was_made_and_deletes_it() throws Exception {
    String bucket = s3.createBucket();
    int before = neon.allBranches().size();
    int requestsBefore = neon.requests().size();
    neon.operationPolls(4); // time for the row below to land on main while the run waits
    Thread writer = new Thread(() -> writeOnceTheBranchExists(requestsBefore));
    writer.start();
    ProgramRun.Result run = backup(bucket).env("GITHUB_ACTIONS", "true").run();
    writer.join();
    assertEquals(0, run.exitCode(), run::describe);
    assertEquals("2", PgTools.queryString(neon.mainBranch().server(), "neondb", "SELECT count(*) FROM notes"),
        "the late row is on main");

    String key = run.outputs().get("object-key");
    assertTrue(key.matches("neon-backups/neondb/neondb-\\d{8}T\\d{6}Z\\.dump"), key);
    Path archive = Files.createTempFile("neon-snapshot-", ".dump");
    Files.write(archive, s3.getObject(bucket, key));
    PostgresServer local = PostgresServer.shared();
    String target = local.uniqueDatabaseName("snapshot");
    local.createDatabase(target);
    PgTools.restore(local, target, archive);
    Files.delete(archive);
    assertEquals("1:before", PgTools.queryString(local, target, "SELECT string_agg(id || ':' || body, ',') FROM notes"),
        "the archive holds the branch: the row written after it was made is not there");

    String branchId = onlyCreatedBranch(before);
    assertTrue(neon.wasDeleted(branchId), run::describe);
    assertEquals(List.of(neon.mainBranch().id()), neon.liveBranches().stream().map(b -> b.id()).toList());
    Manifest manifest = Manifest.read(new String(s3.getObject(bucket, key + ".json"), StandardCharsets.UTF_8));
    var source = manifest.source().orElseThrow();
    assertEquals(neon.projectId(), source.projectId());
    assertEquals(neon.mainBranch().id(), source.parentBranchId());
    assertEquals(branchId, source.branchId());
    assertTrue(source.branchName().matches("neon-backup-\\d{8}T\\d{6}Z-[0-9a-f]{6}"), source.branchName());
    assertTrue(source.endpointHost().orElseThrow().endsWith(".aws.neon.tech"), source.toString());
    assertTrue(run.stepSummary().contains("| Source | `temporary branch " + source.branchName()), run.stepSummary());
    assertFalse(run.outputExceptMasks().contains(neon.apiKey()), run::describe);
    assertTrue(run.stdout().contains("::add-mask::" + neon.apiKey()), "the key is masked in the runner's log");
  }

  @Test
  void the_branch_is_deleted_after_a_failed_dump() {
    String bucket = s3.createBucket();
    int before = neon.allBranches().size();
    ProgramRun.Result run =
        backup(bucket).input("pg-dump-options", "--strict-names --table=no_such_table").run();
    assertEquals(4, run.exitCode(), run::describe);
    assertTrue(neon.wasDeleted(onlyCreatedBranch(before)), run::describe);
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing published");
  }

  @Test
  void the_branch_is_deleted_after_a_failed_upload() {
    int before = neon.allBranches().size();
    ProgramRun.Result run = backup("no-such-bucket-" + System.nanoTime()).run();
    assertEquals(5, run.exitCode(), run::describe);
    assertTrue(neon.wasDeleted(onlyCreatedBranch(before)), run::describe);
  }

  @Test
  void sigterm_mid_dump_deletes_the_branch_within_the_grace_period() {
    neon.mainBranch().server().execute("neondb", "CREATE DATABASE big OWNER neondb_owner");
    neon.mainBranch().server().execute(
        "big",
        "CREATE TABLE big (id int, payload text); INSERT INTO big SELECT g, md5(g::text) || md5((g * 3)::text)"
            + " FROM generate_series(1, 600000) g");
    try {
      String bucket = s3.createBucket();
      int before = neon.allBranches().size();
      ProgramRun program =
          backup(bucket).input("databases", "big").input("compression", "9").env("GITHUB_ACTIONS", "true");
      dev.neonbackup.testing.RunningProgram running = program.start();
      running.awaitLog("dumping contents of table \"public.big\"", Duration.ofSeconds(90));
      ProgramRun.Result result =
          CancelledRuns.signal(running, CancelledRuns.SIGTERM_STATUS, () -> running.signal("TERM"));
      assertTrue(neon.wasDeleted(onlyCreatedBranch(before)), result::describe);
      assertTrue(
          result.stdout().lines().anyMatch(
              l -> l.startsWith("::error ") && l.matches(".*the Neon branch 'neon-backup-\\d{8}T\\d{6}Z-[0-9a-f]{6}'.*")),
          "the cancel line names the branch\n" + result.describe());
      assertEquals(List.of(), s3.keys(bucket, ""), "nothing published");
      assertEquals(List.of(), s3.unfinishedUploads(bucket), "no upload left");
    } finally {
      neon.mainBranch().server().execute("neondb", "DROP DATABASE big");
    }
  }

  @Test
  void a_rate_limited_create_is_retried_after_retry_after() {
    String bucket = s3.createBucket();
    int before = neon.allBranches().size();
    int requestsBefore = neon.requests().size();
    neon.failNextWithError("POST", "/projects/[^/]+/branches", 429, Map.of("Retry-After", "1"), "rate limit exceeded", 1);
    ProgramRun.Result run = backup(bucket).run();
    assertEquals(0, run.exitCode(), run::describe);
    long creates = neon.requests().stream().skip(requestsBefore).filter(NeonSnapshotIT::isCreate).count();
    assertEquals(2, creates, "one 429, then the create that worked");
    assertTrue(neon.wasDeleted(onlyCreatedBranch(before)), run::describe);
  }

  @Test
  void a_snapshot_timestamp_outside_the_restore_window_is_exit_11_naming_it() {
    String longAgo = java.time.Instant.now().minus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    int before = neon.allBranches().size();
    ProgramRun.Result run = backup(s3.createBucket()).input("snapshot-timestamp", longAgo).run();
    assertEquals(11, run.exitCode(), run::describe);
    assertTrue(run.errorLines().get(0).contains("snapshot-timestamp"), run::describe);
    assertEquals(before, neon.allBranches().size(), "no branch made");
    assertTrue(
        neon.requests().stream().anyMatch(r -> isCreate(r) && r.body().contains("\"parent_timestamp\":\"" + longAgo + "\"")),
        "the instant went to Neon as parent_timestamp");
  }

  @Test
  void a_wrong_key_is_exit_11_naming_the_input_and_never_printing_the_key() {
    String wrong = "napi_" + "w".repeat(40);
    ProgramRun.Result run = backup(s3.createBucket()).input("neon-api-key", wrong).run();
    assertEquals(11, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertTrue(run.errorLines().get(0).contains("neon-api-key"), run::describe);
    assertFalse(run.outputExceptMasks().contains(wrong), run::describe);
    assertEquals(1, neon.liveBranches().size(), "no branch made");
  }

  @Test
  void several_databases_without_a_choice_are_refused_and_all_dumps_each_as_its_owner() {
    neon.mainBranch().server().execute("neondb", "CREATE DATABASE ledger OWNER neondb_owner");
    neon.mainBranch().server().execute("ledger", "CREATE TABLE entries (id int); INSERT INTO entries VALUES (1), (2)");
    try {
      ProgramRun.Result refused = backup(s3.createBucket()).run();
      assertEquals(2, refused.exitCode(), refused::describe);
      assertTrue(refused.errorLines().get(0).contains("has several databases (neondb, ledger)")
          || refused.errorLines().get(0).contains("has several databases (ledger, neondb)"), refused::describe);
      String bucket = s3.createBucket();
      ProgramRun.Result all = backup(bucket).input("databases", "all").run();
      assertEquals(0, all.exitCode(), all::describe);
      List<String> keys = s3.keys(bucket, "");
      assertEquals(4, keys.size(), keys.toString());
      assertTrue(keys.stream().anyMatch(k -> k.startsWith("neon-backups/ledger/ledger-")), keys.toString());
      assertEquals(1, neon.liveBranches().size(), "every temporary branch is gone");
    } finally {
      neon.mainBranch().server().execute("neondb", "DROP DATABASE ledger");
    }
  }

  /**
   * The drill empties its database first. A temporary branch is only a copy of production, so a
   * restore-check-url naming production (the parent branch, or database-url) is refused before
   * anything is dumped: as the owner (no database-url), and as database-url's role.
   */
  @Test
  void a_restore_check_url_naming_the_parent_branch_is_refused_and_production_untouched() {
    neon.mainBranch().server().execute("neondb", "CREATE TABLE precious (id int); INSERT INTO precious VALUES (42)");
    try {
      String production = neon.mainBranch().endpoint().url("neondb", false);
      for (ProgramRun program :
          List.of(
              backup(s3.createBucket()).input("restore-check-url", production),
              backup(s3.createBucket()).input("database-url", production).input("restore-check-url", production))) {
        ProgramRun.Result run = program.run();
        assertEquals("1", PgTools.queryString(neon.mainBranch().server(), "neondb", "SELECT count(*) FROM precious"),
            "production was emptied by the drill\n" + run.describe());
        assertEquals(2, run.exitCode(), run::describe);
        assertTrue(run.errorLines().get(0).contains("restore-check-url is the database that"), run::describe);
      }
      assertEquals(1, neon.liveBranches().size(), "every temporary branch is gone");
    } finally {
      neon.mainBranch().server().execute("neondb", "DROP TABLE precious");
    }
  }

  private static ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("neon-api-key", neon.apiKey())
        .input("neon-project-id", neon.projectId())
        .input("neon-api-url", neon.apiUrl())
        .input("snapshot", "branch")
        .storage(s3, bucket)
        .timeout(Duration.ofMinutes(3));
  }

  private static boolean isCreate(NeonApiRequest request) {
    return request.method().equals("POST") && request.path().matches("/projects/[^/]+/branches");
  }

  /** The id of the one branch made after the first {@code before} branches. */
  private static String onlyCreatedBranch(int before) {
    List<String> ids = neon.allBranches().stream().skip(before).map(b -> b.id()).toList();
    assertEquals(1, ids.size(), ids.toString());
    return ids.get(0);
  }

  private static void writeOnceTheBranchExists(int before) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (neon.requests().stream().skip(before).anyMatch(r -> r.method().equals("GET") && r.path().contains("/operations/"))) {
        neon.mainBranch().server().execute("neondb", "INSERT INTO notes VALUES (2, 'after')");
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
