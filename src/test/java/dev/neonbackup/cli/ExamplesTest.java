package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example workflows use only what action.yml declares: every key of a {@code with:} block of a
 * step that runs this action is an input, every {@code steps.<id>.outputs.<name>} an output. A
 * workflow linter cannot tell: it does not know this action's inputs.
 */
class ExamplesTest {
  private static final Path ROOT = Path.of(System.getProperty("basedir", "."));
  private static final Pattern USES_US = Pattern.compile("^\\s*(?:- )?uses: <owner>/neon-backup-action@v1\\s*$");
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_-]+):.*$");
  private static final Pattern OUTPUT = Pattern.compile("steps\\.[A-Za-z0-9_-]+\\.outputs\\.([A-Za-z0-9_-]+)");

  @Test
  void every_with_key_of_an_example_is_an_input_and_every_output_read_is_declared() throws IOException {
    Set<String> inputs = ActionMetadataTest.ActionYml.read().inputs().keySet();
    Set<String> outputs = ActionMetadataTest.ActionYml.read().outputs().keySet();
    List<String> unknown = new ArrayList<>();
    int steps = 0;
    try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (USES_US.matcher(lines.get(i)).matches()) {
            steps++;
            withKeys(lines, i).stream()
                .filter(key -> !inputs.contains(key))
                .forEach(key -> unknown.add(file.getFileName() + ": input " + key));
          }
          Matcher output = OUTPUT.matcher(lines.get(i));
          while (output.find()) {
            if (!outputs.contains(output.group(1))) {
              unknown.add(file.getFileName() + ":" + (i + 1) + ": output " + output.group(1));
            }
          }
        }
      }
    }
    assertTrue(steps >= 10, "the examples' steps that run this action were found: " + steps);
    assertEquals(List.of(), unknown);
  }

  /** The keys of the {@code with:} block of the step whose {@code uses:} is at {@code uses}. */
  private static List<String> withKeys(List<String> lines, int uses) {
    int stepIndent = indent(lines.get(uses).replace("- ", "  "));
    List<String> keys = new ArrayList<>();
    int withIndent = -1;
    for (int i = uses + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      if (indent(line) < stepIndent || line.strip().startsWith("- ")) {
        break;
      }
      Matcher key = KEY.matcher(line);
      if (withIndent < 0) {
        if (key.matches() && key.group(2).equals("with") && indent(line) == stepIndent) {
          withIndent = stepIndent;
        }
      } else if (indent(line) <= withIndent) {
        break;
      } else if (key.matches() && key.group(1).length() == withIndent + 2) {
        keys.add(key.group(2));
      }
    }
    return keys;
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
