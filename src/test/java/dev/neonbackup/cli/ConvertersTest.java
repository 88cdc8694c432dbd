package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.postgres.Compression;
import dev.neonbackup.postgres.PgDumpClient;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.ChecksumMode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.ITypeConverter;

/** Each converter: what it accepts, that blank is unset, and the exact message of a refusal. */
class ConvertersTest {
  private static final String BLANKS = "blanks";

  static Stream<String> blanks() {
    return Stream.of("", " ", "\t", "\n ");
  }

  /** Converts, expecting a refusal with exit status 2; returns its message. */
  private static String refusal(ITypeConverter<?> converter, String text) {
    InputException e = assertThrows(InputException.class, () -> converter.convert(text));
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
    return e.getMessage();
  }

  // --- true or false

  static Stream<Arguments> booleans() {
    return Stream.of(
        Arguments.of(new Converters.ForcePathStyle(), "s3-force-path-style"),
        Arguments.of(new Converters.AllowPooled(), "allow-pooled"),
        Arguments.of(new Converters.IncludeRoles(), "include-roles"),
        Arguments.of(new Converters.RetentionDryRun(), "retention-dry-run"),
        Arguments.of(new Converters.Json(), "json"),
        Arguments.of(new Converters.Clean(), "clean"));
  }

  @ParameterizedTest
  @MethodSource("booleans")
  void reads_true_or_false_in_any_case(Converters.Bool converter, String input) throws Exception {
    for (String yes : List.of("true", "TRUE", "True", " true ")) {
      assertEquals(Boolean.TRUE, converter.convert(yes), input + " '" + yes + "'");
    }
    for (String no : List.of("false", "FALSE", "\tfalse")) {
      assertEquals(Boolean.FALSE, converter.convert(no), input + " '" + no + "'");
    }
    for (String blank : blanks().toList()) {
      assertNull(converter.convert(blank), input);
    }
  }

  @ParameterizedTest
  @MethodSource("booleans")
  void refuses_other_words_naming_the_input(Converters.Bool converter, String input) {
    for (String word : List.of("yes", "no", "1", "0", "on")) {
      assertEquals(input + " must be true or false (got '" + word + "')", refusal(converter, word));
    }
    assertEquals(input + " must be true or false (got 'yes')", refusal(converter, " yes "));
  }

  // --- whole numbers in a range

  static Stream<Arguments> ranges() {
    return Stream.of(
        Arguments.of(new Converters.ConnectRetries(), "connect-retries", 0, 20),
        Arguments.of(new Converters.ParallelDatabases(), "parallel-databases", 1, 4),
        Arguments.of(new Converters.Jobs(), "jobs", 1, 999));
  }

  @ParameterizedTest
  @MethodSource("ranges")
  void reads_a_whole_number_in_its_range(Converters.Ranged converter, String input, int min, int max)
      throws Exception {
    assertEquals(min, converter.convert(String.valueOf(min)));
    assertEquals(max, converter.convert(" " + max + " "));
    assertEquals(min, converter.convert("00" + min));
    for (String blank : blanks().toList()) {
      assertNull(converter.convert(blank), input);
    }
  }

  @ParameterizedTest
  @MethodSource("ranges")
  void refuses_a_number_out_of_range_or_not_a_number(
      Converters.Ranged converter, String input, int min, int max) {
    List<String> bad =
        List.of(String.valueOf(min - 1), String.valueOf(max + 1), "x", "1.5", "-1", "+3", "1000", "\u0663");
    for (String text : bad) {
      assertEquals(
          input + " must be a whole number from " + min + " to " + max + " (got '" + text + "')",
          refusal(converter, text));
    }
  }

  // --- retention counts

  static Stream<Arguments> counts() {
    return Stream.of(
        Arguments.of(new Converters.KeepLast(), "keep-last"),
        Arguments.of(new Converters.KeepDays(), "keep-days"),
        Arguments.of(new Converters.KeepDaily(), "keep-daily"),
        Arguments.of(new Converters.KeepWeekly(), "keep-weekly"),
        Arguments.of(new Converters.KeepMonthly(), "keep-monthly"));
  }

  @ParameterizedTest
  @MethodSource("counts")
  void reads_a_count_of_at_least_one(Converters.Count converter, String input) throws Exception {
    assertEquals(1, converter.convert("1"));
    assertEquals(7, converter.convert(" 07 "));
    assertEquals(Integer.MAX_VALUE, converter.convert("2147483647"));
    for (String blank : blanks().toList()) {
      assertNull(converter.convert(blank), input);
    }
  }

  @ParameterizedTest
  @MethodSource("counts")
  void refuses_a_count_naming_the_input(Converters.Count converter, String input) {
    for (String text : List.of("0", "00", "-1", "x", "1.5", "3 days")) {
      assertEquals(
          input + " must be a whole number of at least 1 (got '" + text + "')",
          refusal(converter, text));
    }
    assertEquals(
        input + " must be at most 2147483647 (got '2147483648')",
        refusal(converter, "2147483648"));
  }

  // --- one of a few words

  @ParameterizedTest
  @CsvSource({"full, FULL", "TOC, TOC", "' none ', NONE"})
  void reads_the_verify_mode(String text, ArchiveVerifier.Mode mode) {
    assertEquals(mode, new Converters.Verify().convert(text));
  }

  @ParameterizedTest
  @CsvSource({"auto, AUTO", "ON, ON", "' when-required ', WHEN_REQUIRED"})
  void reads_the_checksum_mode(String text, ChecksumMode mode) {
    assertEquals(mode, new Converters.Checksum().convert(text));
  }

  @Test
  void refuses_an_unknown_mode_naming_the_input() {
    assertEquals("verify 'x' is not one of: full, toc, none", refusal(new Converters.Verify(), "x"));
    assertEquals(
        "s3-checksum 'crc32' is not one of: auto, on, when-required",
        refusal(new Converters.Checksum(), " crc32"));
  }

  @ParameterizedTest
  @CsvSource({"match, MATCH", "NEWEST, NEWEST", "' Newest ', NEWEST"})
  void reads_the_pg_dump_client(String text, PgDumpClient rule) {
    assertEquals(rule, new Converters.PgDumpClientRule().convert(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "17", "newer", "match,newest"})
  void refuses_another_pg_dump_client_naming_the_input_and_the_allowed_values(String text) {
    assertEquals(
        "pg-dump-client '" + text + "' is not one of: match, newest",
        refusal(new Converters.PgDumpClientRule(), text));
  }

  @Test
  void reads_the_compression() {
    assertEquals(new Compression("6", false), new Converters.CompressionLevel().convert(" 6 "));
    assertEquals(new Compression("zstd:5", true), new Converters.CompressionLevel().convert("zstd:5"));
    assertEquals(Compression.AUTO, new Converters.CompressionLevel().convert("auto"));
  }

  @Test
  void refuses_a_compression_naming_the_input() {
    assertEquals(
        "compression 'fast' is not understood: use auto, a level 0-9, or gzip, lz4, zstd or none with an"
            + " optional :LEVEL (for example zstd:5; method names need pg_dump 16 or later)",
        refusal(new Converters.CompressionLevel(), "fast"));
  }

  // --- an endpoint, a directory, a secret

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:9000", "https://abc123.r2.cloudflarestorage.com"})
  void reads_an_http_or_https_endpoint(String endpoint) {
    assertEquals(URI.create(endpoint), new Converters.Endpoint().convert(" " + endpoint));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:9000", "ftp://example.com", "https://", "http://exa mple.com"})
  void refuses_an_endpoint_naming_the_input(String endpoint) {
    assertEquals(
        "s3-endpoint must be an http:// or https:// URL such as"
            + " https://<account>.r2.cloudflarestorage.com (got '"
            + endpoint
            + "')",
        refusal(new Converters.Endpoint(), endpoint));
  }

  @Test
  void reads_a_directory() {
    assertEquals(
        Path.of("/usr/lib/postgresql/17/bin"),
        new Converters.Directory().convert(" /usr/lib/postgresql/17/bin "));
  }

  @Test
  void keeps_a_secret_as_a_secret() {
    Secret secret = new Converters.SecretText().convert(" wJalrXUtnFEMI/K7MDENG ");
    assertEquals("wJalrXUtnFEMI/K7MDENG", secret.reveal());
    assertFalse(String.valueOf(secret).contains("wJalr"));
  }

  @ParameterizedTest
  @MethodSource(BLANKS)
  void leaves_a_blank_value_unset(String blank) {
    assertNull(new Converters.Verify().convert(blank));
    assertNull(new Converters.Checksum().convert(blank));
    assertNull(new Converters.CompressionLevel().convert(blank));
    assertNull(new Converters.PgDumpClientRule().convert(blank));
    assertNull(new Converters.Endpoint().convert(blank));
    assertNull(new Converters.Directory().convert(blank));
    assertNull(new Converters.SecretText().convert(blank));
  }

  // --- extra arguments

  @Test
  void splits_extra_arguments_like_a_shell() {
    assertEquals(
        List.of("--no-owner", "-n", "my schema"),
        new Converters.PgDumpArguments().convert("--no-owner -n 'my schema'"));
    assertEquals(
        List.of("--single-transaction"),
        new Converters.PgRestoreArguments().convert(" --single-transaction "));
  }

  @ParameterizedTest
  @MethodSource(BLANKS)
  void takes_blank_extra_arguments_as_none(String blank) {
    assertEquals(List.of(), new Converters.PgDumpArguments().convert(blank));
    assertEquals(List.of(), new Converters.PgRestoreArguments().convert(blank));
  }

  @Test
  void refuses_an_extra_argument_naming_the_input() {
    assertEquals(
        "pg-dump-options: -f is refused: the archive is streamed to S3 from stdout",
        refusal(new Converters.PgDumpArguments(), "--no-owner -f out.dump"));
    String message = refusal(new Converters.PgRestoreArguments(), "--create");
    assertTrue(message.startsWith("restore-options: --create is refused"), message);
  }
}
