package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.HttpReceiver;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.RunningProgram;
import dev.neonbackup.testing.S3Server;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged program's heartbeat pings and chat message, received by a server of the test's own:
 * what each carries, that a receiver that fails never fails the backup, and that neither URL is
 * ever printed.
 */
class NotifyIT {
  private static final String RUN_LINK = "https://github.com/acme/app/actions/runs/4242";

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String database;
  private static String other;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    database = postgres.uniqueDatabaseName("notified");
    postgres.createDatabase(database);
    postgres.execute(database, SampleData.VARIED);
    postgres.execute(database, "CREATE TABLE held (id int)");
    other = postgres.uniqueDatabaseName("notified_too");
    postgres.createDatabase(other);
  }

  private static ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(database))
        .input("verify", "toc")
        .storage(s3, bucket)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/app")
        .env("GITHUB_RUN_ID", "4242");
  }

  @Test
  void a_success_pings_start_then_the_summary_and_posts_the_chat_message_when_always() {
    try (HttpReceiver heartbeat = HttpReceiver.start();
        HttpReceiver chat = HttpReceiver.start()) {
      String pingUrl = heartbeat.url("/ping/5bf66975-secret");
      String hookUrl = chat.url("/services/T0/B0/hook-secret");
      ProgramRun.Result run =
          backup(s3.createBucket())
              .input("heartbeat-url", pingUrl)
              .input("notify-webhook-url", hookUrl)
              .input("notify-on", "always")
              .runRevealingNone(pingUrl, hookUrl, "5bf66975-secret", "hook-secret");
      assertEquals(0, run.exitCode(), run.describe());

      List<HttpReceiver.Request> pings = heartbeat.requests();
      assertEquals(2, pings.size(), pings.toString());
      assertEquals(
          "GET /ping/5bf66975-secret/start", pings.get(0).method() + " " + pings.get(0).path());
      assertEquals("POST /ping/5bf66975-secret", pings.get(1).method() + " " + pings.get(1).path());
      assertTrue(
          pings
              .get(1)
              .body()
              .matches(
                  "backed up "
                      + database
                      + ": [0-9.]+ KiB in [0-9.]+ s to "
                      + "s3://.*/"
                      + database
                      + "-[0-9T]+Z\\.dump"),
          pings.get(1).body());

      assertEquals(1, chat.requests().size());
      HttpReceiver.Request message = chat.requests().get(0);
      assertEquals("POST /services/T0/B0/hook-secret", message.method() + " " + message.path());
      assertEquals("application/json", message.header("Content-Type"));
      assertTrue(
          message
              .body()
              .matches(
                  "\\{\"text\":\"Neon backup succeeded: "
                      + database
                      + "\\\\nSize: [0-9.]+ KiB, duration: [0-9.]+ s\\\\nRun: "
                      + RUN_LINK
                      + "\"}"),
          message.body());
      assertTrue(run.stdout().contains("::add-mask::"), run.describe());
    }
  }

  @Test
  void several_databases_in_parallel_send_one_start_and_one_final_ping() {
    try (HttpReceiver heartbeat = HttpReceiver.start()) {
      ProgramRun.Result run =
          backup(s3.createBucket())
              .input("databases", database + "," + other)
              .input("parallel-databases", "2")
              .input("heartbeat-url", heartbeat.url("/several"))
              .runRevealingNone(heartbeat.url("/several"));
      assertEquals(0, run.exitCode(), run.describe());
      List<HttpReceiver.Request> pings = heartbeat.requests();
      assertEquals(List.of("/several/start", "/several"), pings.stream().map(HttpReceiver.Request::path).toList());
      assertTrue(
          pings.get(1).body().matches(
              "backed up 2 databases \\(" + database + ", " + other + "\\): [0-9.]+ KiB in [0-9.]+ s"),
          pings.get(1).body());
    }
  }

  @Test
  void a_failed_backup_pings_fail_with_its_error_line_and_keeps_its_exit_status() {
    try (HttpReceiver heartbeat = HttpReceiver.start();
        HttpReceiver chat = HttpReceiver.start()) {
      String pingUrl = heartbeat.url("/ping/fail-secret");
      String hookUrl = chat.url("/hook/fail-secret");
      ProgramRun.Result run =
          backup("no-such-bucket-" + System.nanoTime())
              .input("heartbeat-url", pingUrl)
              .input("notify-webhook-url", hookUrl)
              .runRevealingNone(pingUrl, hookUrl, "fail-secret");
      assertEquals(5, run.exitCode(), run.describe());

      List<HttpReceiver.Request> pings = heartbeat.requests();
      assertEquals(2, pings.size(), pings.toString());
      assertEquals("/ping/fail-secret/start", pings.get(0).path());
      assertEquals(
          "POST /ping/fail-secret/fail", pings.get(1).method() + " " + pings.get(1).path());
      String errorLine = run.errorLines().get(0).substring("error: ".length());
      assertEquals(errorLine, pings.get(1).body());

      assertEquals(1, chat.requests().size(), "notify-on is failure by default");
      assertTrue(
          chat.requests().get(0).body().startsWith("{\"text\":\"Neon backup FAILED (exit 5): "),
          chat.requests().get(0).body());
      assertTrue(
          chat.requests().get(0).body().contains("Run: " + RUN_LINK),
          chat.requests().get(0).body());
    }
  }

  @Test
  void
      a_heartbeat_receiver_down_and_a_slow_webhook_warn_and_the_backup_still_succeeds_in_bounded_time() {
    try (HttpReceiver chat = HttpReceiver.start().slow(Duration.ofSeconds(5))) {
      String pingUrl = HttpReceiver.down() + "/down-secret";
      String hookUrl = chat.url("/hook/slow-secret");
      long started = System.nanoTime();
      ProgramRun.Result run =
          backup(s3.createBucket())
              .jvmOption("-Dneonbackup.notify.timeout-millis=400")
              .input("heartbeat-url", pingUrl)
              .input("notify-webhook-url", hookUrl)
              .input("notify-on", "always")
              .runRevealingNone(pingUrl, hookUrl, "down-secret", "slow-secret");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertEquals(0, run.exitCode(), run.describe());
      assertEquals(
          List.of(
              "::warning title=Heartbeat ping failed::the heartbeat URL did not take the start ping"
                  + " (cannot connect, 3 tries); the backup is not affected",
              "::warning title=Heartbeat ping failed::the heartbeat URL did not take the success ping"
                  + " (cannot connect, 3 tries); the backup is not affected",
              "::warning title=Notification failed::the notification webhook URL did not take the"
                  + " message (no answer within 0.4 s, 3 tries); the backup is not affected"),
          run.annotations(),
          run.describe());
      assertEquals(List.of(), run.plainErrorsAndWarnings(), "printed once, as the annotations\n" + run.describe());
      assertEquals(3, chat.requests().size());
      // Three pings of three tries: at most 9 x 0.4 s and the pauses, on top of the backup itself.
      assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, took.toString());
    }
  }

  @Test
  void a_signal_after_the_start_ping_posts_fail_and_the_message_within_the_grace_period()
      throws SQLException {
    try (HttpReceiver heartbeat = HttpReceiver.start();
        HttpReceiver chat = HttpReceiver.start();
        Connection holder = postgres.connect(database)) {
      String pingUrl = heartbeat.url("/ping/cancel-secret");
      String hookUrl = chat.url("/hook/cancel-secret");
      holder.setAutoCommit(false);
      try (Statement lock = holder.createStatement()) {
        lock.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
      }
      RunningProgram running =
          CancelledRuns.storage(s3, s3.createBucket())
              .input("database-url", postgres.url(database))
              .input("heartbeat-url", pingUrl)
              .input("notify-webhook-url", hookUrl)
              .start();
      running.awaitThat(
          "pg_dump to wait on the lock",
          Duration.ofSeconds(60),
          () -> CancelledRuns.sessions(postgres, "Lock") > 0);
      ProgramRun.Result run =
          CancelledRuns.signal(running, CancelledRuns.SIGINT_STATUS, () -> running.signal("INT"));
      holder.rollback();

      List<HttpReceiver.Request> pings = heartbeat.requests();
      assertEquals(2, pings.size(), pings.toString());
      assertEquals(
          "POST /ping/cancel-secret/fail", pings.get(1).method() + " " + pings.get(1).path());
      assertEquals("the run was cancelled by a signal", pings.get(1).body());
      assertEquals(1, chat.requests().size());
      // The message names the database when the main thread had recorded its failed dump before
      // the shutdown path wrote it (pg_dump gets the signal too); either way it says why.
      String message = chat.requests().get(0).body();
      assertTrue(
          message.startsWith("{\"text\":\"Neon backup CANCELLED: ")
              && message.contains("the run was cancelled by a signal"),
          message);
      assertTrue(
          run.stdout().contains("cleaned up: ")
              && run.stdout().contains("the heartbeat's /fail ping and the failure notification"),
          run.describe());
      assertTrue(!run.outputExceptMasks().contains("cancel-secret"), run.describe());
    }
  }
}
