package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.report.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:07.900Z"), ZoneOffset.UTC);
  private static final String PASSWORD = "AbC123dEf";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Console console(boolean actions) {
    return new Console(new PrintWriter(out), new PrintWriter(err), actions, CLOCK);
  }

  private List<String> outLines() {
    return out.toString().lines().toList();
  }

  private List<String> errLines() {
    return err.toString().lines().toList();
  }

  // --- escaping

  @ParameterizedTest
  @CsvSource(
      delimiterString = "->",
      value = {
        "plain text -> plain text",
        "100% -> 100%25",
        "%0A -> %250A",
        "'' -> ''",
        "':: colons, are kept' -> ':: colons, are kept'"
      })
  void escapes_workflow_command_data(String text, String escaped) {
    assertEquals(escaped, Console.escapeData(text));
  }

  @Test
  void escapes_carriage_returns_and_newlines() {
    assertEquals("a%0Db%0Ac%0D%0Ad", Console.escapeData("a\rb\nc\r\nd"));
  }

  @Test
  void escapes_the_percent_sign_before_the_line_breaks_it_introduces() {
    assertEquals("50%25%0A%25", Console.escapeData("50%\n%"));
  }

  // --- protect

  @Test
  void masks_each_secret_under_actions() {
    console(true).protect(List.of(Secret.of(PASSWORD), Secret.of("wJalrXUtnFEMI")));
    assertEquals(List.of("::add-mask::" + PASSWORD, "::add-mask::wJalrXUtnFEMI"), outLines());
    assertEquals("", err.toString());
  }

  @Test
  void escapes_the_secret_it_masks() {
    console(true).protect(List.of(Secret.of("50%\noff")));
    assertEquals(List.of("::add-mask::50%25%0Aoff"), outLines());
  }

  @Test
  void skips_an_empty_secret_when_masking() {
    console(true).protect(List.of(Secret.of(""), Secret.of(PASSWORD)));
    assertEquals(List.of("::add-mask::" + PASSWORD), outLines());
  }

  @Test
  void prints_no_mask_commands_outside_actions() {
    console(false).protect(List.of(Secret.of(PASSWORD)));
    assertEquals("", out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void redacts_lines_printed_after_protect_under_actions() {
    Console console = console(true);
    console.protect(List.of(Secret.of(PASSWORD)));
    console.info("connecting as alex:" + PASSWORD);
    console.result("url with " + PASSWORD);
    assertEquals(List.of("03:15:07 connecting as alex:***"), errLines());
    assertEquals(List.of("::add-mask::" + PASSWORD, "url with ***"), outLines());
  }

  @Test
  void redacts_lines_printed_after_protect_outside_actions() {
    Console console = console(false);
    console.protect(List.of(Secret.of("p@ss word")));
    console.info("raw p@ss word, encoded p%40ss+word and p%40ss%20word");
    console.detail("pg_dump: p@ss word");
    assertEquals(
        List.of(
            "03:15:07 raw ***, encoded *** and ***",
            "03:15:07   pg_dump: ***"),
        errLines());
    assertFalse(out.toString().contains("p@ss"), out.toString());
  }

  @Test
  void does_not_redact_before_protect() {
    Console console = console(false);
    console.info("before " + PASSWORD);
    console.protect(List.of(Secret.of(PASSWORD)));
    console.info("after " + PASSWORD);
    assertEquals(List.of("03:15:07 before " + PASSWORD, "03:15:07 after ***"), errLines());
  }

  @Test
  void exposes_the_redactor_it_uses() {
    Console console = console(false);
    console.protect(List.of(Secret.of(PASSWORD)));
    assertEquals("x *** y", console.redactor().redact("x " + PASSWORD + " y"));
  }

  // --- errors, warnings, groups

  @Test
  void prints_an_error_only_as_its_annotation_under_actions() {
    console(true).error("s3-bucket is required");
    assertEquals(List.of("::error title=Run failed::s3-bucket is required"), outLines());
    assertEquals("", err.toString());
  }

  @Test
  void prints_only_the_plain_error_line_outside_actions() {
    console(false).error("s3-bucket is required");
    assertEquals("", out.toString());
    assertEquals(List.of("error: s3-bucket is required"), errLines());
  }

  @Test
  void titles_an_annotation_after_the_running_command() {
    Console console = console(true);
    console.running("restore");
    console.error("no backup matched");
    console.warn("no manifest beside it");
    console.cancelled("the run was cancelled by a signal");
    assertEquals(
        List.of(
            "::error title=Restore failed::no backup matched",
            "::warning title=Restore warning::no manifest beside it",
            "::error title=Restore cancelled::the run was cancelled by a signal"),
        outLines());
    assertEquals("", err.toString());
  }

  @Test
  void takes_only_a_command_name_for_the_default_title() {
    Console console = console(true);
    console.running("backup\n::error::x");
    console.error("failed");
    assertEquals(List.of("::error title=Run failed::failed"), outLines());
  }

  @Test
  void prints_the_title_a_caller_gives() {
    Console console = console(true);
    console.running("backup");
    console.warn("Retention", "retention: kept a.dump: locked");
    console.error("Database backup failed", "database 'a': pg_dump exited with status 1");
    assertEquals(
        List.of(
            "::warning title=Retention::retention: kept a.dump: locked",
            "::error title=Database backup failed::database 'a': pg_dump exited with status 1"),
        outLines());
  }

  @Test
  void leaves_the_title_out_of_the_plain_lines_outside_actions() {
    Console console = console(false);
    console.running("backup");
    console.warn("Retention", "kept a.dump");
    console.error("Database backup failed", "database 'a': gone");
    console.cancelled("the run was cancelled by a signal");
    assertEquals("", out.toString());
    assertEquals(
        List.of(
            "03:15:07 warning: kept a.dump",
            "error: database 'a': gone",
            "error: the run was cancelled by a signal"),
        errLines());
  }

  @Test
  void escapes_the_message_and_the_title_of_an_annotation() {
    console(true).error("Odd: title, with 100%", "pg_dump failed: 100% broken\n::error::x\r:: done");
    assertEquals(
        List.of(
            "::error title=Odd%3A title%2C with 100%25::pg_dump failed: 100%25 broken%0A::error::x%0D:: done"),
        outLines());
  }

  @Test
  void redacts_a_secret_in_the_message_and_the_title_of_an_annotation() {
    Console console = console(true);
    console.protect(List.of(Secret.of(PASSWORD)));
    console.error("for " + PASSWORD, "pg_dump failed\nfor " + PASSWORD);
    console.warn("connecting as alex:" + PASSWORD);
    assertEquals(
        List.of(
            "::add-mask::" + PASSWORD,
            "::error title=for ***::pg_dump failed%0Afor ***",
            "::warning title=Run warning::connecting as alex:***"),
        outLines());
    assertEquals("", err.toString());
  }

  @Test
  void prints_a_warning_only_as_its_annotation_under_actions() {
    Console console = console(true);
    console.warn("slow upload");
    assertEquals(List.of("::warning title=Run warning::slow upload"), outLines());
    assertEquals("", err.toString());
  }

  @Test
  void prints_only_the_plain_warning_line_outside_actions() {
    console(false).warn("slow upload");
    assertEquals("", out.toString());
    assertEquals(List.of("03:15:07 warning: slow upload"), errLines());
  }

  @Test
  void a_database_name_that_carries_a_command_stays_inside_one_annotation() {
    Console console = console(true);
    console.running("backup");
    console.error("Database backup failed", "database 'a\n::error::injected': refused");
    console.error("database 'a%0A::error::encoded': refused");
    assertEquals(
        List.of(
            "::error title=Database backup failed::database 'a%0A::error::injected': refused",
            "::error title=Backup failed::database 'a%250A::error::encoded': refused"),
        outLines());
    assertEquals(outLines(), RunnerCommands.in(out.toString()));
  }

  @Test
  void closes_an_open_group_before_the_cancel_annotation() {
    Console console = console(true);
    console.running("backup");
    console.group("pg_dump --verbose");
    console.cancelled("the run was cancelled by a signal; nothing was left behind");
    assertEquals(
        List.of(
            "::group::pg_dump --verbose",
            "::endgroup::",
            "::error title=Backup cancelled::the run was cancelled by a signal; nothing was left behind"),
        outLines());
  }

  // --- escaping of a property value (an annotation's title)

  @ParameterizedTest
  @CsvSource(
      delimiterString = "->",
      value = {
        "Backup failed -> Backup failed",
        "a:b -> a%3Ab",
        "a,b -> a%2Cb",
        "':: and ,,' -> '%3A%3A and %2C%2C'",
        "100% -> 100%25",
        "%3A -> %253A"
      })
  void escapes_workflow_command_properties(String text, String escaped) {
    assertEquals(escaped, Console.escapeProperty(text));
  }

  @Test
  void escapes_line_breaks_in_a_property() {
    assertEquals("a%0Db%0Ac", Console.escapeProperty("a\rb\nc"));
  }

  @Test
  void prints_groups_only_under_actions() {
    Console actions = console(true);
    actions.group("pg_dump 50%");
    actions.endGroup();
    assertEquals(List.of("::group::pg_dump 50%25", "::endgroup::"), outLines());

    StringWriter plainOut = new StringWriter();
    Console plain = new Console(new PrintWriter(plainOut), new PrintWriter(new StringWriter()), false, CLOCK);
    plain.group("pg_dump");
    plain.endGroup();
    assertEquals("", plainOut.toString());
  }

  @Test
  void tells_whether_it_runs_under_actions() {
    assertTrue(console(true).underActions());
    assertFalse(console(false).underActions());
  }
}
