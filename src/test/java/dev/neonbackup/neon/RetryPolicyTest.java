package dev.neonbackup.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neonbackup.neon.RetryPolicy.Attempt;
import dev.neonbackup.neon.RetryPolicy.Decision;
import dev.neonbackup.neon.RetryPolicy.Trouble;
import dev.neonbackup.neon.RetryPolicy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-21T03:15:00Z");

  private static Decision decide(Attempt attempt, boolean idempotent, int tries) {
    return RetryPolicy.decide(attempt, idempotent, tries, Duration.ZERO, NOW);
  }

  private static Attempt status(int status) {
    return Attempt.answered(status, Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204})
  void a_2xx_is_done(int status) {
    assertEquals(Verdict.DONE, decide(status(status), false, 1).verdict());
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503, 423})
  void too_many_requests_unavailable_and_locked_are_retried_even_for_a_post(int status) {
    assertEquals(
        new Decision(Verdict.RETRY, Duration.ofSeconds(1)), decide(status(status), false, 1));
    assertEquals(
        new Decision(Verdict.RETRY, Duration.ofSeconds(1)), decide(status(status), true, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 412, 422})
  void a_refusal_is_final(int status) {
    assertEquals(Verdict.GIVE_UP, decide(status(status), true, 1).verdict());
    assertEquals(Verdict.GIVE_UP, decide(status(status), false, 1).verdict());
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 504})
  void another_5xx_is_retried_when_safe_and_may_have_been_done_for_a_post(int status) {
    assertEquals(Verdict.RETRY, decide(status(status), true, 1).verdict());
    assertEquals(Verdict.MAYBE_DONE, decide(status(status), false, 1).verdict());
  }

  @Test
  void a_timeout_or_a_lost_connection_is_retried_when_safe_and_may_have_been_done_for_a_post() {
    for (Trouble trouble : List.of(Trouble.TIMED_OUT, Trouble.CONNECTION_LOST)) {
      assertEquals(Verdict.RETRY, decide(Attempt.noAnswer(trouble), true, 1).verdict());
      assertEquals(Verdict.MAYBE_DONE, decide(Attempt.noAnswer(trouble), false, 1).verdict());
    }
  }

  @Test
  void a_connection_that_never_opened_sent_nothing_so_even_a_post_is_retried() {
    assertEquals(
        Verdict.RETRY, decide(Attempt.noAnswer(Trouble.CANNOT_CONNECT), false, 1).verdict());
  }

  @Test
  void the_backoff_starts_at_one_second_and_doubles_to_thirty() {
    List<Long> seconds =
        List.of(1, 2, 3, 4, 5, 6, 7, 20).stream()
            .map(tries -> RetryPolicy.backoff(tries).toSeconds())
            .toList();
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
    assertEquals(Duration.ofSeconds(1), RetryPolicy.backoff(0));
  }

  @Test
  void gives_up_after_six_tries() {
    assertEquals(Verdict.RETRY, decide(status(503), true, 5).verdict());
    assertEquals(Verdict.GIVE_UP, decide(status(503), true, 6).verdict());
  }

  @Test
  void the_pauses_in_all_stay_within_two_minutes() {
    Attempt busy = status(503);
    Duration paused = Duration.ofSeconds(100);
    assertEquals(
        new Decision(Verdict.RETRY, Duration.ofSeconds(16)),
        RetryPolicy.decide(busy, true, 5, paused, NOW));
    Attempt later = Attempt.answered(429, Optional.of("21"));
    assertEquals(Verdict.GIVE_UP, RetryPolicy.decide(later, true, 1, paused, NOW).verdict());
    Attempt exactly = Attempt.answered(429, Optional.of("20"));
    assertEquals(Verdict.RETRY, RetryPolicy.decide(exactly, true, 1, paused, NOW).verdict());
  }

  @Test
  void retry_after_in_seconds_is_honoured_whatever_the_backoff() {
    Attempt attempt = Attempt.answered(429, Optional.of("7"));
    assertEquals(new Decision(Verdict.RETRY, Duration.ofSeconds(7)), decide(attempt, false, 1));
    Attempt zero = Attempt.answered(503, Optional.of(" 0 "));
    assertEquals(new Decision(Verdict.RETRY, Duration.ZERO), decide(zero, true, 4));
  }

  @Test
  void retry_after_as_an_http_date_waits_until_then_and_a_past_date_not_at_all() {
    Attempt attempt = Attempt.answered(503, Optional.of("Sat, 21 Nov 2026 03:15:12 GMT"));
    assertEquals(new Decision(Verdict.RETRY, Duration.ofSeconds(12)), decide(attempt, true, 1));
    Attempt past = Attempt.answered(503, Optional.of("Sat, 21 Nov 2026 03:14:00 GMT"));
    assertEquals(new Decision(Verdict.RETRY, Duration.ZERO), decide(past, true, 1));
  }

  @Test
  void an_unreadable_retry_after_falls_back_to_the_backoff() {
    for (String value : List.of("", "soon", "-5", "1.5", "1234567890")) {
      Attempt attempt = Attempt.answered(429, Optional.of(value));
      assertEquals(
          new Decision(Verdict.RETRY, Duration.ofSeconds(2)), decide(attempt, true, 2), value);
    }
  }
}
