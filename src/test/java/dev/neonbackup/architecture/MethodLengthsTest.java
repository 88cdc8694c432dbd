package dev.neonbackup.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The size check itself must be able to fail. */
class MethodLengthsTest {
  private static final Path FILE = Path.of("Example.java");

  /** A class with one method whose declaration and closing brace span {@code lines} lines. */
  private static String classWithMethodOf(int lines, String bodyLine) {
    StringBuilder text = new StringBuilder("final class Example {\n  int count(int a) {\n");
    for (int i = 0; i < lines - 2; i++) {
      text.append("    ").append(bodyLine).append('\n');
    }
    return text.append("  }\n}\n").toString();
  }

  @Test
  void finds_a_method_one_line_over_the_limit() {
    assertEquals(
        List.of("Example.java:2 count(): 61 lines"),
        MethodLengths.over(FILE, classWithMethodOf(61, "a++;"), 60));
  }

  @Test
  void accepts_a_method_at_the_limit() {
    assertEquals(List.of(), MethodLengths.over(FILE, classWithMethodOf(60, "a++;"), 60));
  }

  @Test
  void ignores_braces_in_strings_chars_and_comments() {
    String body = "String s = \"}\"; char c = '}'; // }";
    assertEquals(
        List.of("Example.java:2 count(): 61 lines"),
        MethodLengths.over(FILE, classWithMethodOf(61, body), 60));
  }

  @Test
  void does_not_count_a_record_header_as_a_method() {
    StringBuilder text = new StringBuilder("public record Example(int a, int b) {\n");
    for (int i = 0; i < 70; i++) {
      text.append("  static int f").append(i).append("() {\n    return 1;\n  }\n");
    }
    assertEquals(List.of(), MethodLengths.over(FILE, text.append("}\n").toString(), 60));
  }
}
