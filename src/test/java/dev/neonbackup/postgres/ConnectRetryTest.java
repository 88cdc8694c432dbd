package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConnectRetryTest {
  @Test
  void backs_off_exponentially_to_about_a_minute_for_the_default_retries() {
    long total = 0;
    long[] expected = {2, 4, 8, 16, 30};
    for (int retry = 1; retry <= ConnectRetry.DEFAULT_RETRIES; retry++) {
      Duration delay = ConnectRetry.delayBefore(retry);
      assertEquals(expected[retry - 1], delay.toSeconds());
      total += delay.toSeconds();
    }
    assertEquals(60, total);
    assertEquals(30, ConnectRetry.delayBefore(12).toSeconds(), "capped");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "connection to server at \"h\" (1.2.3.4), port 5432 failed: FATAL:  password authentication failed for user \"alex\"",
        "FATAL:  role \"bob\" does not exist",
        "FATAL:  database \"nope\" does not exist",
        "could not translate host name \"ep-typo.neon.tech\" to address: Name or service not known",
        "FATAL:  no pg_hba.conf entry for host \"1.2.3.4\"",
        "SCRAM authentication requires libpq version 10 or above",
        "channel binding required, but server authenticated client without channel binding"
      })
  void never_retries_what_another_attempt_cannot_fix(String reason) {
    assertTrue(ConnectRetry.isPermanent(reason), reason);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "connection to server at \"127.0.0.1\", port 5432 failed: Connection refused",
        "timeout expired",
        "server closed the connection unexpectedly",
        "FATAL:  the database system is starting up",
        "could not receive data from server: Connection reset by peer"
      })
  void retries_what_a_starting_compute_answers(String reason) {
    assertFalse(ConnectRetry.isPermanent(reason), reason);
  }
}
