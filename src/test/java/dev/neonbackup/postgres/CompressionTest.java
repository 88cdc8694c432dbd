package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionTest {
  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"})
  void accepts_every_level_from_0_to_9_as_a_level(String level) {
    assertEquals(new Compression(level, false), Compression.parse(level));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gzip", "gzip:9", "gzip:1", "lz4", "lz4:3", "zstd", "zstd:5", "zstd:level=3,long",
        "zstd:long", "zstd:level=19,long=1", "zstd:workers=4", "none"
      })
  void accepts_a_method_with_an_optional_detail_as_a_method(String text) {
    assertEquals(new Compression(text, true), Compression.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"' 5 ', 5, false", "GZIP:9, gzip:9, true", "' Zstd:Level=3 ', zstd:level=3, true", "NONE, none, true"})
  void strips_and_lower_cases_what_it_keeps(String text, String value, boolean namesMethod) {
    assertEquals(new Compression(value, namesMethod), Compression.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10", "-1", "99", "1.5", "brotli", "gzip:", "zstd:", "zstd:level=", "zstd:,long",
        "zstd:level=3,", "gzip-9", "gzip 9", "zstd::5", "lz4:fast=-1", ":5", "", "   "
      })
  void refuses_anything_else_naming_the_input_and_quoting_the_value(String text) {
    InputException e = assertThrows(InputException.class, () -> Compression.parse(text));
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith("compression '" + text + "' is not understood"), e.getMessage());
    assertTrue(e.getMessage().contains("level 0-9"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 11, 12, 13, 14, 15, 16, 17, 18})
  void lets_every_pg_dump_take_a_level(int pgDumpMajor) {
    assertDoesNotThrow(() -> Compression.parse("9").checkSupportedBy(pgDumpMajor));
    assertDoesNotThrow(() -> Compression.parse("0").checkSupportedBy(pgDumpMajor));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "gzip:9", "lz4", "zstd:5", "zstd:level=3,long", "none"})
  void refuses_a_method_name_for_pg_dump_15_naming_the_input_and_the_version(String text) {
    Compression compression = Compression.parse(text);
    InputException e = assertThrows(InputException.class, () -> compression.checkSupportedBy(15));
    assertEquals(
        "compression '"
            + text
            + "' names a compression method, which pg_dump 15 does not support"
            + " (it needs pg_dump 16+); use a level 0-9",
        e.getMessage());
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 17, 18})
  void accepts_a_method_name_for_pg_dump_16_and_later(int pgDumpMajor) {
    assertDoesNotThrow(() -> Compression.parse("zstd:5").checkSupportedBy(pgDumpMajor));
    assertDoesNotThrow(() -> Compression.parse("none").checkSupportedBy(pgDumpMajor));
  }

  @Test
  void refuses_a_method_name_for_every_pg_dump_before_16() {
    for (int major = 9; major < Compression.METHOD_NAMES_SINCE; major++) {
      int pgDumpMajor = major;
      assertThrows(
          InputException.class, () -> Compression.parse("lz4").checkSupportedBy(pgDumpMajor));
    }
    assertEquals(16, Compression.METHOD_NAMES_SINCE);
  }

  // --- auto: the default, resolved once the pg_dump is chosen

  @ParameterizedTest
  @CsvSource({
    "12, 1, false", "13, 1, false", "14, 1, false", "15, 1, false",
    "16, zstd:1, true", "17, zstd:1, true", "18, zstd:1, true"
  })
  void auto_is_zstd_from_pg_dump_16_on_and_gzip_level_1_before(
      int pgDumpMajor, String value, boolean namesMethod) {
    assertEquals(new Compression(value, namesMethod), Compression.auto(pgDumpMajor));
    assertEquals(new Compression(value, namesMethod), Compression.AUTO.resolveFor(pgDumpMajor));
    assertDoesNotThrow(() -> Compression.auto(pgDumpMajor).checkSupportedBy(pgDumpMajor));
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "AUTO", " Auto "})
  void reads_auto_in_any_case(String text) {
    Compression auto = Compression.parse(text);
    assertEquals(Compression.AUTO, auto);
    assertTrue(auto.isAuto());
    assertDoesNotThrow(() -> auto.checkSupportedBy(15));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "6", "9", "gzip:9", "lz4", "zstd:5", "none"})
  void a_value_given_is_handed_to_pg_dump_unchanged_whatever_its_major(String text) {
    Compression given = Compression.parse(text);
    assertFalse(given.isAuto());
    assertEquals(given, given.resolveFor(17));
    assertEquals(given, given.resolveFor(15));
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto:1", "autozstd", "auto 1"})
  void refuses_auto_with_anything_after_it(String text) {
    InputException e = assertThrows(InputException.class, () -> Compression.parse(text));
    assertTrue(e.getMessage().startsWith("compression '" + text + "' is not understood"), e.getMessage());
  }

  @Test
  void auto_never_reaches_pg_dump_unresolved() {
    assertThrows(IllegalStateException.class, () -> PgDumpArguments.of(Compression.AUTO, List.of()));
    assertEquals(
        List.of("--format=custom", "--verbose", "--no-password", "--compress=zstd:1"),
        PgDumpArguments.of(Compression.auto(17), List.of()));
  }
}
