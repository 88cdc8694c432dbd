package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.NeonLikeEndpoint;
import dev.neonbackup.testing.NeonLikeEndpoint.ComputeConnection;
import dev.neonbackup.testing.NeonLikeEndpoint.PoolerLogin;
import dev.neonbackup.testing.NeonLikeEndpoint.PsqlResult;
import dev.neonbackup.testing.NeonLikeEndpoint.Traffic;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged program against a Neon-shaped endpoint (see {@link NeonLikeEndpoint}): Neon's host
 * names, TLS and SCRAM with channel binding on the compute, PgBouncer in transaction mode as the
 * pooler. Which way each connection went is read from the two servers' own connection logs:
 * PgBouncer reaches PostgreSQL only through its Unix socket, so a TCP connection at PostgreSQL came
 * through the direct host.
 */
class NeonEndpointIT {
  private static final int DATABASE = 3;

  private static NeonLikeEndpoint neon;
  private static PostgresServer compute;
  private static S3Server s3;

  @BeforeAll
  static void startServers() {
    neon = NeonLikeEndpoint.start();
    compute = neon.compute();
    s3 = S3Server.shared();
  }

  @AfterAll
  static void stopEndpoint() {
    if (neon != null) {
      neon.close();
    }
  }

  @Test
  void a_pooled_url_as_neon_hands_it_out_is_dumped_through_the_direct_host_and_restores()
      throws Exception {
    String source = databaseWithData("pooled_url");
    String bucket = s3.createBucket();
    NeonLikeEndpoint.Mark mark = neon.mark();

    ProgramRun.Result run =
        backup(neon.url(source, true), bucket).env("GITHUB_ACTIONS", "true").run();

    Traffic traffic = neon.trafficSince(mark);
    assertEquals(0, run.exitCode(), run::describe);
    assertTrue(
        run.stdout().lines().anyMatch(l -> l.startsWith("::warning title=Backup warning::") && l.contains("pooler")),
        run::describe);
    assertEquals(List.of(), run.plainErrorsAndWarnings(), "printed once, as the annotation\n" + run.describe());
    assertEquals(List.of(), traffic.pooler(), "no client reached PgBouncer");
    assertDumpedOverTlsBy(traffic, source, ComputeConnection::direct);
    assertEquals(Map.of(), neon.poolerStats(source), "PgBouncer never served the database");

    assertRestoresEqual(source, bucket, run);
    assertNoPassword(run);
  }

  @Test
  void a_direct_url_without_sslmode_is_reached_with_a_verified_certificate() {
    String source = databaseWithData("no_sslmode");
    String url = withoutQuery(neon.url(source, false));
    // libpq takes PGSSLMODE for a connection that does not say; the compute refuses TCP without
    // TLS. So the run can only connect if the tool put sslmode into the connection itself.
    Map<String, String> noTls = Map.of("PGSSLMODE", "disable");
    PsqlResult control = neon.psql(url, noTls, "SELECT 1");
    assertNotEquals(0, control.exitCode(), control::output);
    assertTrue(control.output().contains("no encryption"), control::output);

    String bucket = s3.createBucket();
    NeonLikeEndpoint.Mark mark = neon.mark();
    ProgramRun.Result run = backup(url, bucket).env("PGSSLMODE", "disable").run();

    Traffic traffic = neon.trafficSince(mark);
    assertEquals(0, run.exitCode(), run::describe);
    assertDumpedOverTlsBy(traffic, source, ComputeConnection::direct);
    assertEquals(List.of(), traffic.pooler(), "no client reached PgBouncer");
    assertFalse(run.stderr().contains("pooler"), run::describe);
    assertTrue(run.stderr().contains("sslmode=verify-full"), run::describe);
    assertNoPassword(run);
  }

  @Test
  void a_certificate_from_an_unknown_ca_is_refused_naming_verify_tls_which_can_skip_the_check() {
    try (NeonLikeEndpoint unknown = NeonLikeEndpoint.startWithUnknownCa()) {
      String source = unknown.compute().uniqueDatabaseName("unknown_ca");
      unknown.compute().createDatabase(source);
      unknown.compute().execute(source, SampleData.VARIED);
      String url = unknown.url(source, false);
      String bucket = s3.createBucket();

      ProgramRun.Result refused = backup(url, bucket).env("GITHUB_ACTIONS", "true").run();
      assertEquals(3, refused.exitCode(), refused::describe);
      assertEquals(1, refused.errorLines().size(), refused::describe);
      String error = refused.errorLines().get(0);
      assertTrue(
          error.contains("could not verify the TLS certificate of " + unknown.directHost()),
          refused::describe);
      assertTrue(error.contains("set verify-tls: false"), refused::describe);
      assertEquals(List.of(), s3.keys(bucket, ""), "nothing stored");
      assertFalse(refused.outputExceptMasks().contains(unknown.password()), "no password");

      ProgramRun.Result unverified = backup(url, bucket).input("verify-tls", "false").run();
      assertEquals(0, unverified.exitCode(), unverified::describe);
      assertTrue(unverified.stderr().contains("?sslmode=require&"), unverified::describe);

      String target = unknown.compute().uniqueDatabaseName("unknown_ca_restored");
      unknown.compute().createDatabase(target);
      ProgramRun.Result restoreRefused = restore(unknown.url(target, false), bucket).run();
      assertEquals(3, restoreRefused.exitCode(), restoreRefused::describe);
      assertTrue(
          restoreRefused.errorLines().get(0).contains("set verify-tls: false"),
          restoreRefused::describe);
      assertFalse(restoreRefused.outputExceptMasks().contains(unknown.password()), "no password");
      ProgramRun.Result restored =
          restore(unknown.url(target, false), bucket).input("verify-tls", "false").run();
      assertEquals(0, restored.exitCode(), restored::describe);
    }
  }

  private static ProgramRun restore(String targetUrl, String bucket) {
    return ProgramRun.inTempDir()
        .args("restore")
        .input("backup-key", "latest")
        .input("target-url", targetUrl)
        .storage(s3, bucket);
  }

  @Test
  void allow_pooled_keeps_the_pooled_host_and_pg_dump_goes_through_pgbouncer() throws Exception {
    String source = databaseWithData("allow_pooled");
    // PgBouncer cannot bind channels (Neon's proxy in front of its pooler can), so this URL leaves
    // channel_binding out; the next test gives the pooled URL exactly as Neon hands it out.
    String url = neon.url(source, true).replace("&channel_binding=require", "");
    String bucket = s3.createBucket();
    NeonLikeEndpoint.Mark mark = neon.mark();

    ProgramRun.Result run = backup(url, bucket).input("allow-pooled", "true").run();

    Traffic traffic = neon.trafficSince(mark);
    // One client in transaction mode: PgBouncer keeps handing pg_dump's single transaction the
    // same server connection, so the dump succeeds here; Neon advises against it all the same.
    assertEquals(0, run.exitCode(), run::describe);
    List<PoolerLogin> logins = traffic.poolerLogins(source);
    assertFalse(logins.isEmpty(), traffic::toString);
    assertTrue(logins.stream().allMatch(l -> l.tls().startsWith("TLS")), traffic::toString);
    List<ComputeConnection> connections = traffic.computeConnections(source);
    assertFalse(connections.isEmpty(), traffic::toString);
    assertTrue(
        connections.stream().allMatch(ComputeConnection::throughPooler),
        () -> "every connection to the database came through PgBouncer's socket\n" + traffic);
    Map<String, String> stats = neon.poolerStats(source);
    assertTrue(Long.parseLong(stats.get("total_query_count")) > 0, stats::toString);
    assertTrue(Long.parseLong(stats.get("total_sent")) > 0, stats::toString);

    assertRestoresEqual(source, bucket, run);
    assertNoPassword(run);
  }

  @Test
  void allow_pooled_with_neons_exact_url_reaches_pgbouncer_which_refuses_channel_binding() {
    String source = databaseWithData("allow_pooled_exact");
    String bucket = s3.createBucket();
    NeonLikeEndpoint.Mark mark = neon.mark();

    ProgramRun.Result run =
        backup(neon.url(source, true), bucket).input("allow-pooled", "true").run();

    Traffic traffic = neon.trafficSince(mark);
    assertEquals(DATABASE, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    assertTrue(run.errorLines().get(0).contains("channel binding"), run::describe);
    assertFalse(run.stderr().contains("retrying"), "not retried: " + run.describe());
    assertFalse(traffic.poolerLogins(source).isEmpty(), traffic::toString);
    assertEquals(List.of(), traffic.computeConnections(source), "nothing reached the compute");
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing stored");
    assertNoPassword(run);
  }

  /**
   * The pooled and the direct host name reach one database: the drill and restore ask the servers,
   * so neither spelling gets past the other.
   */
  @Test
  void the_drill_and_restore_refuse_the_source_through_the_pooled_and_direct_host_names() {
    String source = databaseWithData("guarded");
    SourceSnapshot snapshot = SourceSnapshot.prepare(compute, source);
    String bucket = s3.createBucket();
    ProgramRun.Result drill =
        backup(neon.url(source, true), bucket)
            .input("pg-dump-options", "--exclude-schema=" + SourceSnapshot.EXCLUDED_SCHEMA)
            .input("restore-check-url", neon.url(source, false))
            .run();
    assertSameDatabaseRefused(drill, "restore-check-url");
    assertEquals(List.of(), s3.keys(bucket, ""), "nothing stored");
    assertEquals(List.of(), s3.unfinishedUploads(bucket), "no unfinished upload");

    String backups = s3.createBucket();
    ProgramRun.Result backup = backup(neon.url(source, false), backups).run();
    assertEquals(0, backup.exitCode(), backup::describe);
    ProgramRun.Result restore =
        ProgramRun.inTempDir()
            .storage(s3, backups)
            .input("command", "restore")
            .input("backup-key", backup.outputs().get("object-key"))
            .input("database-url", neon.url(source, false))
            .input("target-url", neon.url(source, true).replace("&channel_binding=require", ""))
            .run();
    assertSameDatabaseRefused(restore, "target-url");
    snapshot.assertIntact();
  }

  private static void assertSameDatabaseRefused(ProgramRun.Result run, String targetInput) {
    assertEquals(2, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    String error = run.errorLines().get(0);
    assertTrue(error.contains("database-url") && error.contains(targetInput), run::describe);
    assertNoPassword(run);
  }

  private static ProgramRun backup(String databaseUrl, String bucket) {
    return ProgramRun.inTempDir().input("database-url", databaseUrl).storage(s3, bucket);
  }

  private static String databaseWithData(String prefix) {
    String name = compute.uniqueDatabaseName(prefix);
    compute.createDatabase(name);
    compute.execute(name, SampleData.VARIED);
    return name;
  }

  private static String withoutQuery(String url) {
    return url.substring(0, url.indexOf('?'));
  }

  /**
   * pg_dump connected to {@code database}, and every connection in {@code traffic} went the way
   * {@code route} says, with TLS.
   */
  private static void assertDumpedOverTlsBy(
      Traffic traffic, String database, Predicate<ComputeConnection> route) {
    List<ComputeConnection> connections = traffic.computeConnections(database);
    assertTrue(
        connections.stream().anyMatch(c -> "pg_dump".equals(c.applicationName())),
        () -> "pg_dump connected to " + database + "\n" + traffic);
    assertTrue(
        traffic.compute().stream().allMatch(c -> route.test(c) && c.tls() != null),
        () -> "every connection came that way, over TLS\n" + traffic);
  }

  private static void assertRestoresEqual(String source, String bucket, ProgramRun.Result run)
      throws Exception {
    String key = run.outputs().get("object-key");
    Path archive = Files.createTempFile("neon-like-", ".dump");
    try {
      Files.write(archive, s3.getObject(bucket, key));
      String restored = compute.uniqueDatabaseName("restored");
      compute.createDatabase(restored);
      neon.restore(archive, restored);
      Map<String, String> expected = PgTools.tableFingerprints(compute, source);
      assertEquals(3, expected.size(), expected::toString);
      assertEquals(expected, PgTools.tableFingerprints(compute, restored));
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static void assertNoPassword(ProgramRun.Result run) {
    assertFalse(run.outputExceptMasks().contains(neon.password()), "the password never appears");
  }
}
