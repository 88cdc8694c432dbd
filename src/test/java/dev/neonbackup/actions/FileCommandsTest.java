package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandsTest {
  private static final Pattern HEREDOC = Pattern.compile("(?s)([^\n]+)<<(ghadelimiter_[0-9a-f-]{36})\n(.*)\n\\2\n");

  @TempDir Path directory;

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void writes_single_line_outputs_as_name_equals_value_in_order() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(
        file,
        ordered(
            "object-key", "neon-backups/neondb/neondb-20261121T031500Z.dump",
            "size-bytes", "510241",
            "sha256", "ab12"));
    assertEquals(
        "object-key=neon-backups/neondb/neondb-20261121T031500Z.dump\nsize-bytes=510241\nsha256=ab12\n",
        read(file));
  }

  @Test
  void writes_a_value_holding_an_equals_sign_as_is() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("server-version", "17.5 (a=b)"));
    assertEquals("server-version=17.5 (a=b)\n", read(file));
  }

  @Test
  void writes_an_empty_value() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("note", ""));
    assertEquals("note=\n", read(file));
  }

  @Test
  void writes_a_multi_line_value_between_delimiters() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("server-version", "17.5\n(Debian)"));
    Matcher matcher = HEREDOC.matcher(read(file));
    assertTrue(matcher.matches(), read(file));
    assertEquals("server-version", matcher.group(1));
    assertEquals("17.5\n(Debian)", matcher.group(3));
  }

  @Test
  void writes_a_value_with_only_a_carriage_return_between_delimiters() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("x", "a\rb"));
    Matcher matcher = HEREDOC.matcher(read(file));
    assertTrue(matcher.matches(), read(file));
    assertEquals("a\rb", matcher.group(3));
  }

  @Test
  void uses_a_fresh_delimiter_for_each_multi_line_value() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("a", "1\n2", "b", "3\n4"));
    List<String> lines = read(file).lines().toList();
    assertEquals(8, lines.size(), read(file));
    assertTrue(lines.get(0).startsWith("a<<ghadelimiter_"));
    assertTrue(lines.get(4).startsWith("b<<ghadelimiter_"));
    assertEquals(lines.get(0).substring(3), lines.get(3));
    assertEquals(lines.get(4).substring(3), lines.get(7));
    assertNotEquals(lines.get(3), lines.get(7));
  }

  @Test
  void mixes_single_and_multi_line_outputs_in_order() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("a", "1", "b", "2\n3", "c", "4"));
    List<String> lines = read(file).lines().toList();
    assertEquals("a=1", lines.get(0));
    assertTrue(lines.get(1).startsWith("b<<ghadelimiter_"));
    assertEquals(List.of("2", "3"), lines.subList(2, 4));
    assertEquals(lines.get(1).substring(3), lines.get(4));
    assertEquals("c=4", lines.get(5));
    assertEquals(6, lines.size());
  }

  @Test
  void appends_outputs_to_what_the_file_holds() throws IOException {
    Path file = directory.resolve("output");
    Files.writeString(file, "earlier-step=yes\n");
    FileCommands.appendOutputs(file, ordered("a", "1"));
    FileCommands.appendOutputs(file, ordered("b", "2"));
    assertEquals("earlier-step=yes\na=1\nb=2\n", read(file));
  }

  @Test
  void creates_the_output_file_when_missing() throws IOException {
    Path file = directory.resolve("missing");
    FileCommands.appendOutputs(file, ordered("a", "1"));
    assertEquals("a=1\n", read(file));
  }

  @Test
  void writes_nothing_for_no_outputs() throws IOException {
    Path file = directory.resolve("output");
    Files.writeString(file, "x=1\n");
    FileCommands.appendOutputs(file, Map.of());
    assertEquals("x=1\n", read(file));
  }

  @Test
  void writes_non_ascii_values_as_utf8() throws IOException {
    Path file = directory.resolve("output");
    FileCommands.appendOutputs(file, ordered("object-key", "neon-backups/caf%C3%A9/é"));
    assertEquals("object-key=neon-backups/caf%C3%A9/é\n", read(file));
  }

  @Test
  void appends_the_summary_with_a_final_newline() throws IOException {
    Path file = directory.resolve("summary");
    FileCommands.appendSummary(file, "### Neon backup");
    assertEquals("### Neon backup\n", read(file));
  }

  @Test
  void keeps_the_summarys_own_final_newline() throws IOException {
    Path file = directory.resolve("summary");
    FileCommands.appendSummary(file, "| a | b |\n");
    assertEquals("| a | b |\n", read(file));
  }

  @Test
  void appends_the_summary_to_what_the_file_holds() throws IOException {
    Path file = directory.resolve("summary");
    Files.writeString(file, "## Earlier step\n");
    FileCommands.appendSummary(file, "### First");
    FileCommands.appendSummary(file, "### Second\n");
    assertEquals("## Earlier step\n### First\n### Second\n", read(file));
  }

  @Test
  void names_the_file_it_could_not_write() {
    Path file = directory.resolve("no-such-dir").resolve("output");
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> FileCommands.appendOutputs(file, ordered("a", "1")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
