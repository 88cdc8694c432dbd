package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text from outside that tries to become a workflow command, through every way the program
 * prints: none of it may reach the runner as a command; only the Console's own commands do.
 */
class ConsoleInjectionTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:07Z"), ZoneOffset.UTC);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Console console = new Console(new PrintWriter(out), new PrintWriter(err), true, CLOCK);

  static Stream<String> attacks() {
    return Stream.of(
        "db\n::error title=x::y",
        "db\n  ::add-mask::hidden",
        "db\n\t::stop-commands::token",
        "db\r::set-output name=a::b",
        "db\r\n \t ::warning::injected",
        "db\n\u000b\u000c::error::vertical tab and form feed",
        "db\n\u00a0\u2003::error::no-break and em spaces",
        "db\u0085::error::next line",
        "db\u2028::error::line separator",
        "db\u2029::error::paragraph separator",
        "::error::at the very start",
        "   ::error::after spaces at the start",
        "db ##[error]legacy form in the middle",
        "db\n  ##[add-mask]legacy form after spaces",
        "db ###[set-output name=a;]three hashes",
        "db\n::::double");
  }

  static Stream<Arguments> waysToPrint() {
    return Stream.of(
        way("info", Console::info),
        way("detail", Console::detail),
        way("warn", Console::warn),
        way("error", Console::error),
        way("warn, in the title", (c, text) -> c.warn(text, "message")),
        way("error, in the title", (c, text) -> c.error(text, "message")),
        way("group", Console::group),
        way("result", Console::result),
        way("stackTrace", (c, text) -> c.stackTrace(new IllegalStateException(text))),
        way("picocli out", (c, text) -> c.resultWriter().println(text)),
        way("picocli err", (c, text) -> c.messageWriter().println(text)),
        way("picocli out, unfinished", (c, text) -> print(c.resultWriter(), text)),
        way("library stream", (c, text) -> c.libraryStream().println(text)),
        way("library stream, unfinished", (c, text) -> flushed(c.libraryStream(), text)),
        way("the AWS SDK's log (slf4j-simple on System.err)", ConsoleInjectionTest::logged));
  }

  private static Arguments way(String name, BiConsumer<Console, String> print) {
    return Arguments.of(name, print);
  }

  private static void print(PrintWriter writer, String text) {
    writer.print(text);
    writer.flush();
  }

  private static void flushed(java.io.PrintStream stream, String text) {
    stream.print(text);
    stream.flush();
  }

  /** A library's warning, as the process's System.err is set when the program starts. */
  private static void logged(Console console, String text) {
    java.io.PrintStream before = System.err;
    System.setErr(console.libraryStream());
    try {
      org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk.test").warn("S3 said: {}", text);
    } finally {
      System.setErr(before);
    }
  }

  static Stream<Arguments> everyAttackEveryWay() {
    return attacks()
        .flatMap(attack -> waysToPrint().map(way -> Arguments.of(way.get()[0], way.get()[1], attack)));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("everyAttackEveryWay")
  void text_from_outside_never_becomes_a_workflow_command(
      String way, BiConsumer<Console, String> print, String attack) {
    print.accept(console, attack);
    List<String> commands = RunnerCommands.in(out.toString());
    List<String> own = commands.stream().filter(ConsoleInjectionTest::ownCommand).toList();
    assertEquals(own, commands, this::transcript);
    assertEquals(List.of(), RunnerCommands.in(err.toString()), this::transcript);
    assertTrue(own.size() <= 1, this::transcript);
  }

  /**
   * What Console itself writes: one line, its data escaped so that it holds no line break, and an
   * annotation's title escaped so that it holds no colon and no comma (either would end it).
   */
  private static boolean ownCommand(String line) {
    return (line.matches("(?s)::(error|warning) title=[^:,]*::.*") || line.startsWith("::group::"))
        && !line.contains("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain words", "a: b :: c", "# not a command", "## [not] one", "50% done"})
  void leaves_ordinary_text_as_it_is(String text) {
    console.info(text);
    console.result(text);
    assertEquals("03:15:07 " + text + "\n", err.toString());
    assertEquals(text + "\n", out.toString());
  }

  @org.junit.jupiter.api.Test
  void a_libraries_warning_reaches_stderr_through_the_console_redacted_and_inert() {
    console.protect(List.of(dev.neonbackup.report.Secret.of("hunter2")));
    logged(console, "bucket gone\n::error::hunter2");
    assertTrue(err.toString().contains("S3 said: bucket gone\n" + InertText.MARK + "::error::***"), this::transcript);
  }

  @org.junit.jupiter.api.Test
  void marks_a_line_that_would_be_a_command_and_keeps_its_words() {
    console.result("first\n  ::error::x\r##[warning]y");
    assertEquals("first\n" + InertText.MARK + "  ::error::x\n# #[warning]y\n", out.toString());
  }

  @org.junit.jupiter.api.Test
  void a_database_url_parameter_with_an_encoded_line_break_prints_no_command() {
    console.info(
        "connecting to "
            + dev.neonbackup.postgres.ConnectionString.parse(
                    "postgresql://alex@db.example/neondb?application_name=%0A::warning::injected",
                    "database-url")
                .redacted());
    assertEquals(List.of(), RunnerCommands.in(err.toString()), this::transcript);
  }

  private String transcript() {
    return "stdout:\n" + out + "\nstderr:\n" + err;
  }
}
