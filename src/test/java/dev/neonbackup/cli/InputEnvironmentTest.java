package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputEnvironmentTest {
  @Test
  void upper_cases_the_input_name_and_keeps_hyphens() {
    assertEquals("INPUT_DATABASE-URL", InputEnvironment.variableFor("database-url"));
    assertEquals("INPUT_S3-BUCKET", InputEnvironment.variableFor("s3-bucket"));
  }

  @Test
  void turns_spaces_into_underscores() {
    assertEquals("INPUT_MY_INPUT_NAME", InputEnvironment.variableFor("my input name"));
  }

  @Test
  void upper_cases_without_regard_to_the_default_locale() {
    assertEquals("INPUT_PG-BIN-DIR", InputEnvironment.variableFor("pg-bin-dir"));
  }

  @Test
  void reads_the_value_of_the_input_variable() {
    InputEnvironment inputs = new InputEnvironment(Map.of("INPUT_S3-BUCKET", "my-backups"));
    assertEquals("my-backups", inputs.get("s3-bucket"));
  }

  @Test
  void keeps_surrounding_spaces_of_a_non_blank_value() {
    InputEnvironment inputs = new InputEnvironment(Map.of("INPUT_S3-PREFIX", " backups "));
    assertEquals(" backups ", inputs.get("s3-prefix"));
  }

  @Test
  void treats_a_missing_variable_as_unset() {
    assertNull(new InputEnvironment(Map.of()).get("s3-bucket"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "\n", "  \r\n "})
  void treats_a_blank_value_as_unset(String blank) {
    assertNull(new InputEnvironment(Map.of("INPUT_S3-BUCKET", blank)).get("s3-bucket"));
  }

  @Test
  void does_not_read_the_unprefixed_or_underscored_variable() {
    InputEnvironment inputs =
        new InputEnvironment(Map.of("S3-BUCKET", "a", "INPUT_S3_BUCKET", "b", "s3-bucket", "c"));
    assertNull(inputs.get("s3-bucket"));
  }
}
