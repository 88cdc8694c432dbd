package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The check subcommand's inputs, parsed and refused before any server is contacted. */
class CheckCommandTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:00Z"), ZoneOffset.UTC);

  private static CommandLine commandLine(Map<String, String> environment, StringWriter out, StringWriter err) {
    return Cli.create(environment, new PrintWriter(out), new PrintWriter(err), CLOCK);
  }

  @Test
  void the_command_input_runs_check() {
    assertArrayEquals(
        new String[] {"check"}, Cli.withDefaultCommand(new String[0], Map.of("INPUT_COMMAND", "check")));
  }

  @Test
  void reads_max_age_max_shrink_and_databases_from_their_inputs() {
    CommandLine commandLine =
        commandLine(
            Map.of("INPUT_MAX-AGE", "2d", "INPUT_MAX-SHRINK", "20", "INPUT_DATABASES", "app, billing"),
            new StringWriter(),
            new StringWriter());
    commandLine.parseArgs("check");
    CheckCommand check = commandLine.getSubcommands().get("check").getCommand();
    assertEquals(Duration.ofDays(2), check.maxAge);
    assertEquals(20, check.maxShrink);
    assertEquals("app, billing", check.databases);
  }

  @Test
  void leaves_the_limits_unset_without_inputs() {
    CommandLine commandLine = commandLine(Map.of(), new StringWriter(), new StringWriter());
    commandLine.parseArgs("check");
    CheckCommand check = commandLine.getSubcommands().get("check").getCommand();
    assertNull(check.maxAge);
    assertNull(check.maxShrink);
  }

  @ParameterizedTest
  @CsvSource({
    "--max-age, 26, max-age must be",
    "--max-age, -1h, max-age must be",
    "--max-age, 1.5h, max-age must be",
    "--max-shrink, 101, max-shrink must be",
    "--max-shrink, half, max-shrink must be"
  })
  void refuses_a_bad_limit_with_exit_status_2_naming_the_input(String flag, String value, String start) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = commandLine(Map.of("INPUT_S3-BUCKET", "b"), out, err).execute("check", flag, value);
    assertEquals(2, status, err.toString());
    assertTrue(err.toString().startsWith("error: " + start), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void refuses_a_bad_limit_from_its_input_variable_too() {
    StringWriter err = new StringWriter();
    int status =
        commandLine(Map.of("INPUT_S3-BUCKET", "b", "INPUT_MAX-AGE", "26x"), new StringWriter(), err)
            .execute("check");
    assertEquals(2, status, err.toString());
    assertTrue(err.toString().startsWith("error: max-age must be"), err.toString());
  }
}
