package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
  private static List<String> split(String text) {
    return ShellWords.split(text, "pg-dump-options");
  }

  @Test
  void splits_on_single_spaces() {
    assertEquals(List.of("--no-owner", "--no-acl"), split("--no-owner --no-acl"));
  }

  @Test
  void treats_runs_of_spaces_tabs_and_newlines_as_one_separator() {
    assertEquals(List.of("-n", "public", "-t", "x"), split("  -n \t public\n\n-t\r\nx  "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "\n", " \t\r\n "})
  void gives_no_words_for_empty_or_blank_input(String text) {
    assertEquals(List.of(), split(text));
  }

  @Test
  void keeps_everything_literal_inside_single_quotes() {
    assertEquals(List.of("-t", "my table $HOME \\n \"x\""), split("-t 'my table $HOME \\n \"x\"'"));
  }

  @Test
  void keeps_whitespace_inside_double_quotes() {
    assertEquals(List.of("-t", "my  table\there"), split("-t \"my  table\there\""));
  }

  @Test
  void honours_backslash_before_quote_backslash_dollar_and_backtick_inside_double_quotes() {
    assertEquals(List.of("a\"b\\c$d`e"), split("\"a\\\"b\\\\c\\$d\\`e\""));
  }

  @Test
  void keeps_a_backslash_before_other_characters_inside_double_quotes() {
    assertEquals(List.of("a\\nb\\'c"), split("\"a\\nb\\'c\""));
  }

  @Test
  void drops_a_backslash_newline_inside_double_quotes_as_a_line_continuation() {
    assertEquals(List.of("ab"), split("\"a\\\nb\""));
  }

  @Test
  void escapes_the_next_character_with_a_backslash_outside_quotes() {
    assertEquals(List.of("my table", "it's", "\"x\""), split("my\\ table it\\'s \\\"x\\\""));
  }

  @Test
  void drops_a_backslash_newline_outside_quotes_as_a_line_continuation() {
    assertEquals(List.of("--no-owner", "--no-acl"), split("--no-owner \\\n--no-acl"));
    assertEquals(List.of("ab"), split("a\\\nb"));
  }

  @Test
  void ignores_a_lone_backslash_at_the_very_end() {
    assertEquals(List.of("abc"), split("abc\\"));
  }

  @Test
  void joins_quoted_and_unquoted_parts_that_touch_into_one_word() {
    assertEquals(List.of("--exclude-table=my table", "abcd"), split("--exclude-table='my table' a'b'\"c\"d"));
  }

  @Test
  void keeps_an_empty_quoted_string_as_an_empty_word() {
    assertEquals(List.of("-t", "", ""), split("-t '' \"\""));
  }

  @Test
  void does_not_expand_variables_globs_or_tildes() {
    assertEquals(List.of("$HOME", "*.sql", "~", "$(id)", "`id`"), split("$HOME *.sql ~ $(id) `id`"));
  }

  @Test
  void keeps_the_other_quote_kind_literal_inside_quotes() {
    assertEquals(List.of("it's", "say \"hi\""), split("\"it's\" 'say \"hi\"'"));
  }

  @Test
  void keeps_non_ascii_characters() {
    assertEquals(List.of("-t", "café", "数据"), split("-t café '数据'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-t 'my table", "'", "a 'b' 'c", "\"it's\" 'x"})
  void refuses_an_unclosed_single_quote_naming_the_input(String text) {
    InputException e = assertThrows(InputException.class, () -> split(text));
    assertEquals("pg-dump-options has an unclosed single quote", e.getMessage());
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-t \"my table", "\"", "\"a\\\"", "'x' \"y"})
  void refuses_an_unclosed_double_quote_naming_the_input(String text) {
    InputException e = assertThrows(InputException.class, () -> split(text));
    assertEquals("pg-dump-options has an unclosed double quote", e.getMessage());
  }

  @Test
  void names_whichever_input_the_caller_gives() {
    InputException e =
        assertThrows(InputException.class, () -> ShellWords.split("'x", "some-input"));
    assertTrue(e.getMessage().startsWith("some-input "), e.getMessage());
  }
}
