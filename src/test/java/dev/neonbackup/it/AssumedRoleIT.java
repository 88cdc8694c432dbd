package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.StsStandIn;
import dev.neonbackup.testing.StsStandIn.Issued;
import dev.neonbackup.testing.TemporaryCredentialsGate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * aws-role-arn end to end: the real jar asks a stand-in of the runner's token endpoint for GitHub
 * OIDC tokens and a stand-in of STS for credentials that live 15 seconds, and writes through a gate
 * that, like S3, refuses credentials STS did not issue or that have expired. A dump held up by a
 * lock for 40 seconds outlives several of them.
 */
class AssumedRoleIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/neon-backup";
  private static final Duration LIFETIME = Duration.ofSeconds(15);
  private static final Duration LOCK_HELD = Duration.ofSeconds(40);
  private static final String RUN_ID = "16000000042";
  private static final int STORAGE = 5;

  private static PostgresServer postgres;
  private static String database;

  @BeforeAll
  static void createDatabase() {
    postgres = PostgresServer.shared();
    database = postgres.uniqueDatabaseName("assumed");
    postgres.createDatabase(database);
    postgres.execute(database, SampleData.VARIED);
    postgres.execute(database, "CREATE TABLE held (id int PRIMARY KEY); INSERT INTO held SELECT generate_series(1, 1000)");
  }

  private static ProgramRun withRole(StsStandIn sts, TemporaryCredentialsGate gate, String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(database))
        .input("s3-bucket", bucket)
        .input("s3-endpoint", gate.endpoint().toString())
        .input("s3-force-path-style", "true")
        .input("aws-region", "us-east-1")
        .input("aws-role-arn", ROLE)
        .input("aws-role-duration-seconds", "900")
        .env("ACTIONS_ID_TOKEN_REQUEST_URL", sts.tokenRequestUrl())
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", sts.requestToken())
        .env("AWS_ENDPOINT_URL_STS", sts.stsEndpoint().toString())
        .env("GITHUB_RUN_ID", RUN_ID)
        .env("GITHUB_ACTIONS", "true")
        .timeout(Duration.ofMinutes(3));
  }

  /** Every secret the run handled: none may appear outside the ::add-mask:: lines. */
  private static List<String> secrets(StsStandIn sts) {
    List<String> secrets = new ArrayList<>(sts.idTokens());
    secrets.add(sts.requestToken());
    for (Issued issued : sts.allIssued()) {
      secrets.addAll(List.of(issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken()));
    }
    return secrets;
  }

  private static void assertRevealsNone(ProgramRun.Result run, StsStandIn sts) {
    String output = run.outputExceptMasks();
    for (String secret : secrets(sts)) {
      assertFalse(output.contains(secret), "a secret leaked\n" + run.describe());
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void a_backup_outliving_several_sessions_refreshes_them_with_fresh_oidc_tokens() throws SQLException {
    try (StsStandIn sts = StsStandIn.start(ROLE, LIFETIME);
        TemporaryCredentialsGate gate = TemporaryCredentialsGate.start(sts);
        Connection holder = postgres.connect(database)) {
      String bucket = gate.createBucket();
      holder.setAutoCommit(false);
      try (Statement lock = holder.createStatement()) {
        lock.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
      }
      long started = System.nanoTime();
      ProgramRun.Result run =
          withRole(sts, gate, bucket)
              .whileRunning(process -> {
                sleep(LOCK_HELD);
                try {
                  holder.rollback();
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              })
              .run();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertEquals(0, run.exitCode(), run::describe);
      assertTrue(took.compareTo(LOCK_HELD) >= 0, "the dump waited for the lock: " + took);

      List<StsStandIn.Call> calls = sts.calls();
      String described = calls.stream().map(c -> c.at() + " " + c.issued().map(Issued::expiration)).collect(Collectors.joining("\n"));
      assertTrue(calls.size() >= 3, "STS called " + calls.size() + " times in " + took + ":\n" + described);
      assertTrue(calls.size() <= took.toSeconds() / 5 + 2, "STS called on every request? " + calls.size() + " times in " + took);
      assertTrue(calls.stream().allMatch(c -> c.issued().isPresent()), described);
      System.out.println("STS calls: " + calls.size() + " in " + took + "; S3 requests: " + gate.checked().size());
      Set<String> tokensUsed = new HashSet<>();
      for (StsStandIn.Call call : calls) {
        assertEquals(ROLE, call.form().get("RoleArn"));
        assertEquals("neon-backup-action-" + RUN_ID, call.form().get("RoleSessionName"));
        assertEquals("900", call.form().get("DurationSeconds"));
        assertTrue(tokensUsed.add(call.form().get("WebIdentityToken")), "an OIDC token was used twice");
      }
      // Each STS call used a token of its own, fetched for it. A renewal may be between fetching
      // its token and calling STS when the run ends: at most one token fetched goes unused.
      List<String> fetched = sts.idTokens();
      assertTrue(fetched.containsAll(tokensUsed), "every token used was fetched from the runner");
      int unused = fetched.size() - tokensUsed.size();
      assertTrue(unused == 0 || unused == 1, "tokens fetched " + fetched.size() + ", used " + tokensUsed.size());
      assertEquals(List.of(), sts.tokenRequestProblems());

      List<TemporaryCredentialsGate.Checked> requests = gate.checked();
      assertFalse(requests.isEmpty());
      assertEquals(List.of(), requests.stream().filter(r -> r.refusal().isPresent()).toList(),
          "requests with credentials S3 would refuse");
      Set<String> keysUsed = requests.stream().map(TemporaryCredentialsGate.Checked::accessKeyId).collect(Collectors.toSet());
      assertTrue(keysUsed.size() >= 2, "S3 saw only the credentials " + keysUsed);

      String key = run.outputs().get("object-key");
      assertTrue(gate.keys(bucket).containsAll(List.of(key, key + ".json")), gate.keys(bucket).toString());
      assertRevealsNone(run, sts);
      String masks = run.stdout().lines().filter(l -> l.startsWith("::add-mask::")).collect(Collectors.joining("\n"));
      for (Issued issued : sts.allIssued()) {
        assertTrue(masks.contains(issued.sessionToken()) && masks.contains(issued.secretAccessKey()), "not masked");
      }
      assertTrue(sts.idTokens().stream().allMatch(masks::contains), "an OIDC token was not masked");

      ProgramRun.Result list = withRole(sts, gate, bucket).args("list").run();
      assertEquals(0, list.exitCode(), list::describe);
      assertTrue(list.stdout().contains(database), list::describe);
      assertRevealsNone(list, sts);
    }
  }

  @Test
  void the_gate_refuses_expired_credentials_as_s3_would() {
    try (StsStandIn sts = StsStandIn.start(ROLE, Duration.ofSeconds(1));
        TemporaryCredentialsGate gate = TemporaryCredentialsGate.start(sts)) {
      String bucket = gate.createBucket();
      ProgramRun.Result list = withRole(sts, gate, bucket).args("list").run();
      Issued first = sts.allIssued().get(0);
      sleep(Duration.ofMillis(1500));
      try (S3Client s3 = S3Client.builder()
          .region(Region.US_EAST_1)
          .endpointOverride(gate.endpoint())
          .forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
              first.accessKeyId(), first.secretAccessKey(), first.sessionToken())))
          .build()) {
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.listObjectsV2(r -> r.bucket(bucket)));
        assertEquals("ExpiredToken", refused.awsErrorDetails().errorCode(), list::describe);
      }
    }
  }

  @Test
  void sts_access_denied_names_the_trust_policy_and_publishes_nothing() {
    try (StsStandIn sts = StsStandIn.start(ROLE, LIFETIME).answerSts(StsStandIn.StsAnswer.ACCESS_DENIED);
        TemporaryCredentialsGate gate = TemporaryCredentialsGate.start(sts)) {
      String bucket = gate.createBucket();
      ProgramRun.Result run = withRole(sts, gate, bucket).run();
      assertEquals(STORAGE, run.exitCode(), run::describe);
      assertEquals(1, run.errorLines().size(), run::describe);
      String error = run.errorLines().get(0);
      assertTrue(error.contains("AccessDenied") && error.contains(ROLE), run::describe);
      assertTrue(error.contains("trust policy") && error.contains("token.actions.githubusercontent.com"), run::describe);
      assertTrue(error.contains("sub"), run::describe);
      assertFalse(sts.calls().isEmpty(), "STS was asked");
      assertEquals(List.of(), gate.keys(bucket));
      assertFalse(gate.uploadsListing(bucket).contains("<UploadId>"), gate.uploadsListing(bucket));
      assertRevealsNone(run, sts);
    }
  }

  @Test
  void a_token_endpoint_answering_500_is_a_storage_failure_naming_it() {
    ProgramRun.Result run =
        runAgainstTokenEndpoint(StsStandIn.TokenAnswer.SERVER_ERROR, "backup", "ACTIONS_ID_TOKEN_REQUEST_URL answered HTTP 500");
    assertTrue(run.errorLines().get(0).contains("run the job again"), run::describe);
  }

  @Test
  void a_token_endpoint_answering_garbage_is_a_storage_failure_naming_it() {
    ProgramRun.Result run =
        runAgainstTokenEndpoint(StsStandIn.TokenAnswer.GARBAGE, "list", "ACTIONS_ID_TOKEN_REQUEST_URL answered with no token");
    assertFalse(run.allOutput().contains("gateway page"), "the answer's body is not printed");
  }

  /** A run whose token requests get {@code answer}: exit 5, one error line, STS never asked. */
  private static ProgramRun.Result runAgainstTokenEndpoint(StsStandIn.TokenAnswer answer, String command, String expected) {
    try (StsStandIn sts = StsStandIn.start(ROLE, LIFETIME).answerTokenRequests(answer);
        TemporaryCredentialsGate gate = TemporaryCredentialsGate.start(sts)) {
      String bucket = gate.createBucket();
      ProgramRun.Result run = withRole(sts, gate, bucket).args(command).run();
      assertEquals(STORAGE, run.exitCode(), run::describe);
      assertEquals(1, run.errorLines().size(), run::describe);
      assertTrue(run.errorLines().get(0).contains(expected), run::describe);
      assertEquals(List.of(), sts.calls(), "STS was not asked without a token");
      assertEquals(List.of(), gate.keys(bucket));
      assertRevealsNone(run, sts);
      return run;
    }
  }
}
