package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.InputException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PgDumpOptionsTest {
  private static String refusal(String text) {
    InputException e = assertThrows(InputException.class, () -> PgDumpOptions.parse(text));
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
    return e.getMessage();
  }

  @Test
  void gives_no_arguments_for_an_empty_input() {
    assertEquals(List.of(), PgDumpOptions.parse(""));
    assertEquals(List.of(), PgDumpOptions.parse("  \n "));
  }

  @Test
  void accepts_flags() {
    assertEquals(List.of("--no-owner", "--no-acl"), PgDumpOptions.parse("--no-owner --no-acl"));
  }

  @Test
  void accepts_short_options_with_separate_values_including_a_quoted_one() {
    assertEquals(
        List.of("-n", "public", "-t", "my table"), PgDumpOptions.parse("-n public -t 'my table'"));
  }

  @Test
  void accepts_a_long_option_with_an_attached_value_holding_a_glob() {
    assertEquals(
        List.of("--exclude-table-data=audit.*"),
        PgDumpOptions.parse("--exclude-table-data=audit.*"));
  }

  @Test
  void accepts_a_long_option_with_a_separate_value() {
    assertEquals(List.of("--schema", "public"), PgDumpOptions.parse("--schema public"));
  }

  @Test
  void accepts_a_short_option_with_an_attached_value() {
    assertEquals(List.of("-npublic", "-Taudit_*"), PgDumpOptions.parse("-npublic -Taudit_*"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-Fc", "-F c", "-Fcustom", "--format=custom", "--format=c", "--format custom"})
  void accepts_the_custom_format(String text) {
    assertEquals(List.of(text.split(" ")), PgDumpOptions.parse(text));
  }

  @Test
  void accepts_a_cluster_of_short_flags() {
    assertEquals(List.of("-Ox"), PgDumpOptions.parse("-Ox"));
    assertEquals(List.of("-vOxc"), PgDumpOptions.parse("-vOxc"));
  }

  @Test
  void accepts_a_cluster_ending_in_an_option_that_takes_the_rest_as_its_value() {
    assertEquals(List.of("-Oxnpublic"), PgDumpOptions.parse("-Oxnpublic"));
    assertEquals(List.of("-Oxn", "public"), PgDumpOptions.parse("-Oxn public"));
  }

  @Test
  void takes_an_option_looking_value_as_the_value_like_getopt() {
    assertEquals(List.of("-t", "-f"), PgDumpOptions.parse("-t -f"));
  }

  @Test
  void accepts_a_realistic_mix() {
    assertEquals(
        List.of(
            "--no-owner",
            "--no-privileges",
            "--exclude-schema=_timescaledb_*",
            "-T",
            "public.big log",
            "--lock-wait-timeout=30s",
            "--verbose",
            "-w",
            "--quote-all-identifiers"),
        PgDumpOptions.parse(
            "--no-owner --no-privileges --exclude-schema=_timescaledb_* -T \"public.big log\""
                + " --lock-wait-timeout=30s --verbose -w --quote-all-identifiers"));
  }

  /** A refused input, the option its message must name, and a word of the reason. */
  static Stream<Arguments> refusedOptions() {
    return Stream.of(
        Arguments.of("-f x", "-f", "streamed to S3"),
        Arguments.of("-fx", "-f", "streamed to S3"),
        Arguments.of("--file=x", "--file", "streamed to S3"),
        Arguments.of("--file x", "--file", "streamed to S3"),
        Arguments.of("-Fp", "-F", "only the custom format"),
        Arguments.of("-F d", "-F", "only the custom format"),
        Arguments.of("-Ft", "-F", "only the custom format"),
        Arguments.of("--format=directory", "--format", "only the custom format"),
        Arguments.of("--format=plain", "--format", "only the custom format"),
        Arguments.of("--format=", "--format", "only the custom format"),
        Arguments.of("-d db", "-d", "database-url"),
        Arguments.of("--dbname=x", "--dbname", "database-url"),
        Arguments.of("-h host", "-h", "database-url"),
        Arguments.of("--host=host", "--host", "database-url"),
        Arguments.of("-p 5432", "-p", "database-url"),
        Arguments.of("--port=5432", "--port", "database-url"),
        Arguments.of("-U alex", "-U", "database-url"),
        Arguments.of("--username=alex", "--username", "database-url"),
        Arguments.of("-W", "-W", "password prompt"),
        Arguments.of("--password", "--password", "password prompt"),
        Arguments.of("-j 4", "-j", "directory format"),
        Arguments.of("--jobs=4", "--jobs", "directory format"),
        Arguments.of("-Z9", "-Z", "compression input"),
        Arguments.of("-Z 0", "-Z", "compression input"),
        Arguments.of("--compress=5", "--compress", "compression input"),
        Arguments.of("--compress=zstd:3", "--compress", "compression input"),
        Arguments.of("-V", "-V", "prints a version"),
        Arguments.of("--version", "--version", "prints a version"),
        Arguments.of("--help", "--help", "prints help"),
        Arguments.of("-?", "-?", "prints help"),
        Arguments.of("--fil=x", "--fil", "write long options in full"),
        Arguments.of("--no-own", "--no-own", "write long options in full"),
        Arguments.of("--nonsense", "--nonsense", "not a pg_dump option"),
        Arguments.of("--", "--", "not a pg_dump option"),
        Arguments.of("-X", "-X", "not a pg_dump option"),
        Arguments.of("mydb", "'mydb'", "positional arguments are not allowed"),
        Arguments.of("--no-owner mydb", "'mydb'", "positional arguments are not allowed"),
        Arguments.of("-", "'-'", "positional arguments are not allowed"),
        Arguments.of("''", "''", "positional arguments are not allowed"),
        Arguments.of("-n", "-n", "needs a value"),
        Arguments.of("--no-owner -t", "-t", "needs a value"),
        Arguments.of("-h", "-h", "needs a value"),
        Arguments.of("-p", "-p", "needs a value"),
        Arguments.of("-U", "-U", "needs a value"),
        Arguments.of("--schema", "--schema", "needs a value"),
        Arguments.of("--no-owner=x", "--no-owner", "takes no value"),
        Arguments.of("--no-owner=", "--no-owner", "takes no value"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("refusedOptions")
  void refuses_an_option_naming_the_input_and_the_option(String text, String option, String reason) {
    String message = refusal(text);
    assertTrue(message.startsWith("pg-dump-options: " + option + " is refused: "), message);
    assertTrue(message.contains(reason), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-Of x", "-Oxf x", "-OZ9", "-xFp", "-Ox -W", "-OV"})
  void refuses_a_refused_option_hidden_in_a_cluster(String text) {
    String message = refusal(text);
    assertTrue(message.matches("pg-dump-options: -[fZFWV] is refused: .*"), message);
  }

  @Test
  void refuses_a_refused_option_after_allowed_ones_naming_the_refused_one() {
    assertEquals(
        "pg-dump-options: --file is refused: the archive is streamed to S3 from stdout",
        refusal("--no-owner -n public --file=/tmp/x.dump"));
  }

  @Test
  void names_the_first_refused_option() {
    assertTrue(refusal("-j 4 -f x").startsWith("pg-dump-options: -j is refused"));
  }

  @Test
  void refuses_an_unknown_letter_after_known_ones_in_a_cluster() {
    assertEquals(
        "pg-dump-options: -q is refused: it is not a pg_dump option this tool knows",
        refusal("-Oq"));
  }

  @Test
  void refuses_an_unclosed_quote_naming_the_input() {
    assertEquals("pg-dump-options has an unclosed single quote", refusal("-t 'my table"));
  }

  @Test
  void returns_an_unmodifiable_list() {
    List<String> arguments = PgDumpOptions.parse("--no-owner");
    assertThrows(UnsupportedOperationException.class, () -> arguments.add("-f"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--binary-upgrade",
        "--data-only",
        "-a",
        "-Oa",
        "--no-schema",
        "--statistics-only",
        "--section=data",
        "--section post-data",
        "--section=pre-data",
        "--include-foreign-data=remote",
        "--restrict-key=abc",
      })
  void refuses_options_whose_archive_a_fresh_database_cannot_take(String text) {
    assertTrue(refusal(text).startsWith("pg-dump-options: -"), refusal(text));
  }

  @Test
  void says_why_binary_upgrade_is_refused() {
    assertEquals(
        "pg-dump-options: --binary-upgrade is refused: it is for pg_upgrade only; its archive"
            + " does not restore into a fresh database",
        refusal("--binary-upgrade"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"--filter=f.txt", "--filter f.txt", "--exclude-extension=x", "--sync-method=fsync"})
  void refuses_an_option_newer_than_the_chosen_pg_dump_naming_the_input(String text) {
    List<String> arguments = PgDumpOptions.parse(text);
    InputException e =
        assertThrows(InputException.class, () -> PgDumpOptions.checkSupportedBy(arguments, 16));
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith("pg-dump-options: --"), e.getMessage());
    assertTrue(e.getMessage().contains("pg_dump 17 or later; the chosen pg_dump is 16"), e.getMessage());
    PgDumpOptions.checkSupportedBy(arguments, 17);
  }

  @Test
  void does_not_mistake_a_value_for_an_option() {
    PgDumpOptions.checkSupportedBy(PgDumpOptions.parse("--schema --filter"), 14);
  }
}
