package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines stay in sight: the runner folds a group's lines, so they are printed outside it. */
class ConsoleProgressTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:07Z"), ZoneOffset.UTC);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Console console(boolean actions) {
    return new Console(new PrintWriter(out), new PrintWriter(err), actions, CLOCK);
  }

  @Test
  void a_progress_line_closes_the_open_group_and_the_next_chatter_reopens_it() {
    Console console = console(true);
    console.group("pg_dump --verbose");
    console.detail("reading schemas");
    console.progress("progress: 1.0 MiB so far");
    console.progress("progress: 2.0 MiB so far");
    console.detail("dumping contents of table \"public.big\"");
    console.endGroup();
    assertEquals(
        List.of("::group::pg_dump --verbose", "::endgroup::", "::group::pg_dump --verbose (continued)", "::endgroup::"),
        out.toString().lines().toList());
    assertEquals(
        List.of(
            "03:15:07   reading schemas",
            "03:15:07 progress: 1.0 MiB so far",
            "03:15:07 progress: 2.0 MiB so far",
            "03:15:07   dumping contents of table \"public.big\""),
        err.toString().lines().toList());
  }

  @Test
  void a_group_that_a_progress_line_closed_is_not_closed_twice_nor_reopened_empty() {
    Console console = console(true);
    console.group("pg_restore --verbose");
    console.progress("progress: 10 B of 20 B (50%)");
    console.endGroup();
    console.info("restored");
    assertEquals(List.of("::group::pg_restore --verbose", "::endgroup::"), out.toString().lines().toList());
  }

  @Test
  void a_new_group_after_a_progress_line_starts_afresh() {
    Console console = console(true);
    console.group("one");
    console.progress("progress");
    console.endGroup();
    console.group("two");
    console.detail("line");
    console.endGroup();
    assertEquals(
        List.of("::group::one", "::endgroup::", "::group::two", "::endgroup::"), out.toString().lines().toList());
  }

  @Test
  void progress_outside_a_group_or_outside_actions_is_a_plain_line() {
    Console actions = console(true);
    actions.progress("progress: 1 B so far");
    assertEquals("", out.toString());

    StringWriter plainOut = new StringWriter();
    StringWriter plainErr = new StringWriter();
    Console plain = new Console(new PrintWriter(plainOut), new PrintWriter(plainErr), false, CLOCK);
    plain.group("pg_dump --verbose");
    plain.progress("progress: 1 B so far");
    plain.detail("more");
    plain.endGroup();
    assertEquals("", plainOut.toString());
    assertEquals(List.of("03:15:07 progress: 1 B so far", "03:15:07   more"), plainErr.toString().lines().toList());
  }

  @Test
  void a_group_title_is_redacted_and_escaped_when_it_is_reopened() {
    Console console = console(true);
    console.protect(List.of(dev.neonbackup.report.Secret.of("s3cr3t")));
    console.group("pg_dump s3cr3t 5%\n::error::x");
    console.progress("p");
    console.detail("d");
    console.endGroup();
    List<String> lines = out.toString().lines().filter(l -> l.startsWith("::group::")).toList();
    assertEquals(2, lines.size(), out.toString());
    assertEquals("::group::pg_dump *** 5%25%0A::error::x (continued)", lines.get(1));
  }
}
