package dev.neonbackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumModeTest {
  @ParameterizedTest
  @CsvSource({
    "auto, AUTO",
    "on, ON",
    "when-required, WHEN_REQUIRED",
    "AUTO, AUTO",
    "On, ON",
    "When-Required, WHEN_REQUIRED",
    "' on ', ON"
  })
  void reads_each_mode_ignoring_case_and_surrounding_spaces(String text, ChecksumMode mode) {
    assertEquals(mode, ChecksumMode.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "true", "when_required", "WHEN_REQUIRED", "crc32", "", " "})
  void refuses_anything_else_naming_the_input_and_the_choices(String text) {
    InputException e = assertThrows(InputException.class, () -> ChecksumMode.parse(text));
    assertEquals(
        "s3-checksum '" + text + "' is not one of: auto, on, when-required", e.getMessage());
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
  }

  @Test
  void turns_checksums_on_under_auto_for_aws_only() {
    assertTrue(ChecksumMode.AUTO.enabled(false));
    assertFalse(ChecksumMode.AUTO.enabled(true));
  }

  @Test
  void turns_checksums_on_under_on_for_any_store() {
    assertTrue(ChecksumMode.ON.enabled(false));
    assertTrue(ChecksumMode.ON.enabled(true));
  }

  @Test
  void turns_checksums_off_under_when_required_for_any_store() {
    assertFalse(ChecksumMode.WHEN_REQUIRED.enabled(false));
    assertFalse(ChecksumMode.WHEN_REQUIRED.enabled(true));
  }
}
