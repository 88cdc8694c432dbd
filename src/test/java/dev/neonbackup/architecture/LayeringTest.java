package dev.neonbackup.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of the README's "How the code is laid out", checked on the source: data flows one way,
 * only the S3 adapter knows the AWS SDK, only Main knows the command line, and every class and
 * method stays small enough to read in one sitting.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java/dev/neonbackup");
  private static final String BASE = "dev.neonbackup";

  /** Top to bottom; a package may import only packages below it. Equal ranks may not meet. */
  private static final Map<String, Integer> RANK =
      Map.ofEntries(
          Map.entry("", 100),
          Map.entry("cli", 90),
          Map.entry("store.s3", 85),
          Map.entry("actions", 80),
          Map.entry("notify", 75),
          Map.entry("backup", 70),
          Map.entry("restore", 70),
          Map.entry("check", 70),
          Map.entry("crypto", 65),
          Map.entry("catalog", 60),
          Map.entry("store", 50),
          Map.entry("neon", 45),
          Map.entry("postgres", 40),
          Map.entry("report", 20),
          Map.entry("shutdown", 15),
          Map.entry("failure", 10));

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.neonbackup\\.([a-z0-9.]*?)\\.?[A-Z]", Pattern.MULTILINE);

  private record Source(Path path, String pkg, String text) {}

  private static List<Source> sources() throws IOException {
    List<Source> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(file.getParent()).toString().replace('/', '.');
        sources.add(new Source(file, pkg, Files.readString(file)));
      }
    }
    return sources;
  }

  @Test
  void every_package_has_a_place_in_the_layers() throws IOException {
    for (Source source : sources()) {
      assertTrue(RANK.containsKey(source.pkg()), source.path() + " is in no layer: " + source.pkg());
    }
  }

  @Test
  void no_package_imports_one_at_or_above_its_own_layer() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Source source : sources()) {
      Matcher matcher = IMPORT.matcher(source.text());
      while (matcher.find()) {
        String imported = matcher.group(1);
        if (imported.equals(source.pkg())) {
          continue;
        }
        if (RANK.getOrDefault(imported, 0) >= RANK.getOrDefault(source.pkg(), 0)) {
          violations.add(source.path() + " imports " + BASE + "." + imported);
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void only_the_s3_adapter_imports_the_aws_sdk() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Source source : sources()) {
      if (source.text().contains("software.amazon.awssdk") && !source.pkg().equals("store.s3")) {
        violations.add(source.path().toString());
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void only_main_and_the_command_line_know_the_s3_adapter_and_only_main_knows_the_command_line()
      throws IOException {
    List<String> violations = new ArrayList<>();
    for (Source source : sources()) {
      if (source.text().contains("import " + BASE + ".cli.") && !source.pkg().isEmpty()
          && !source.pkg().equals("cli")) {
        violations.add(source.path() + " imports cli");
      }
      if (source.text().contains("import " + BASE + ".store.s3.")
          && !source.pkg().equals("cli") && !source.pkg().equals("store.s3")) {
        violations.add(source.path() + " imports store.s3");
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void no_class_is_longer_than_300_lines() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Source source : sources()) {
      long lines = source.text().lines().count();
      if (lines > 300) {
        violations.add(source.path() + ": " + lines + " lines");
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void no_method_is_longer_than_60_lines() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Source source : sources()) {
      violations.addAll(MethodLengths.over(source.path(), source.text(), 60));
    }
    assertEquals(List.of(), violations);
  }
}
