package dev.neonbackup.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.testing.StoredResults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final Optional<String> LINK =
      Optional.of("https://github.com/acme/app/actions/runs/42");

  static BackupResult result(String database, long size) {
    return StoredResults.of(database, size);
  }

  @Test
  void one_database_is_summed_up_in_one_line_with_its_size_time_and_place() {
    RunOutcome outcome =
        new RunOutcome(List.of(result("neondb", 3 * 1024 * 1024)), Map.of(), Optional.empty());
    assertEquals(
        "backed up neondb: 3.0 MiB in 4.0 s to"
            + " s3://b/neon-backups/neondb/neondb-20261121T031500Z.dump",
        Messages.summary(outcome, Duration.ofSeconds(4)));
  }

  @Test
  void several_databases_are_one_line_too() {
    RunOutcome outcome =
        new RunOutcome(
            List.of(result("app", 1024), result("audit", 1024)), Map.of(), Optional.empty());
    assertEquals(
        "backed up 2 databases (app, audit): 2.0 KiB in 61.5 s",
        Messages.summary(outcome, Duration.ofMillis(61_500)));
  }

  @Test
  void the_chat_text_of_a_success_has_the_databases_size_duration_and_run() {
    RunOutcome outcome =
        new RunOutcome(List.of(result("neondb", 2048)), Map.of(), Optional.empty());
    assertEquals(
        "Neon backup succeeded: neondb\n"
            + "Size: 2.0 KiB, duration: 4.0 s\n"
            + "Run: https://github.com/acme/app/actions/runs/42",
        Messages.chatSuccess(outcome, Duration.ofSeconds(4), LINK));
  }

  @Test
  void the_chat_text_of_a_failure_has_the_exit_status_the_error_and_what_was_stored() {
    RunOutcome outcome =
        new RunOutcome(
            List.of(result("app", 2048)),
            Map.of("audit", new FailureException(FailureKind.DUMP, "pg_dump exited with status 1")),
            Optional.empty());
    assertEquals(
        "Neon backup FAILED (exit 4): app, audit\n"
            + "Stored: 2.0 KiB, duration: 4.0 s\n"
            + "Error: backed up 1 of 2; failed: audit (<x> & y)\n"
            + "Run: https://github.com/acme/app/actions/runs/42",
        Messages.chatFailure(
                Optional.of(outcome),
                "backed up 1 of 2; failed: audit (<x> & y)",
                4,
                Duration.ofSeconds(4),
                LINK)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"));
    assertTrue(
        Messages.chatFailure(Optional.empty(), "a <b> & c", 5, Duration.ZERO, Optional.empty())
            .contains("a &lt;b&gt; &amp; c"));
  }

  @Test
  void a_failure_before_any_database_ran_still_says_what_failed() {
    assertEquals(
        "Neon backup FAILED (exit 3): could not connect\nDuration: 1.0 s",
        Messages.chatFailure(
            Optional.empty(), "could not connect", 3, Duration.ofSeconds(1), Optional.empty()));
  }

  @Test
  void a_ping_body_is_cut_at_healthchecks_limit_of_100000_bytes_on_a_character_boundary() {
    String line = "é".repeat(60_000);
    byte[] body = Messages.pingBody(line);
    assertEquals(100_000, body.length);
    assertEquals(50_000, new String(body, java.nio.charset.StandardCharsets.UTF_8).length());
    assertEquals(3, Messages.pingBody("abc").length);
  }

  @Test
  void the_chat_json_is_one_text_field() {
    assertEquals("{\"text\":\"a \\\"b\\\"\\nc\"}", Messages.chatJson("a \"b\"\nc"));
  }
}
