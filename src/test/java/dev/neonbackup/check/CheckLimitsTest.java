package dev.neonbackup.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckLimitsTest {
  @Test
  void defaults_are_26_hours_and_50_percent() {
    assertEquals(new CheckLimits(Duration.ofHours(26), 50), CheckLimits.of(null, null));
  }

  @Test
  void max_age_takes_a_whole_number_and_one_unit() {
    assertEquals(Duration.ofSeconds(90), CheckLimits.parseMaxAge("90s"));
    assertEquals(Duration.ofMinutes(45), CheckLimits.parseMaxAge("45m"));
    assertEquals(Duration.ofHours(26), CheckLimits.parseMaxAge("26h"));
    assertEquals(Duration.ofDays(2), CheckLimits.parseMaxAge(" 2d "));
    assertEquals(Duration.ofHours(30), CheckLimits.parseMaxAge("30H"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"26", "h", "-1h", "1.5h", "26x", "0h", "+3h", "26 h", "1h30m", "99999999999d"})
  void a_bad_max_age_is_refused_naming_the_input(String text) {
    InputException e = assertThrows(InputException.class, () -> CheckLimits.parseMaxAge(text));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().startsWith("max-age must be"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + text.strip() + "'"), e.getMessage());
  }

  @Test
  void max_shrink_is_a_percentage_from_0_to_100() {
    assertEquals(0, CheckLimits.parseMaxShrink("0"));
    assertEquals(100, CheckLimits.parseMaxShrink("100"));
    assertEquals(35, CheckLimits.parseMaxShrink(" 35 "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"101", "-1", "fifty", "50%", "12.5", "1e2"})
  void a_bad_max_shrink_is_refused_naming_the_input(String text) {
    InputException e = assertThrows(InputException.class, () -> CheckLimits.parseMaxShrink(text));
    assertTrue(e.getMessage().startsWith("max-shrink must be"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
  }
}
