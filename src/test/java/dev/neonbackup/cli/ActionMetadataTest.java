package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps the three descriptions of the action's interface in step: the backup command's options,
 * action.yml's inputs and outputs, and the README's tables of inputs and outputs.
 */
class ActionMetadataTest {
  private static final Path ROOT = Path.of(System.getProperty("basedir", "."));

  /** Options of the program that are no inputs of the action. */
  private static final Set<String> PROGRAM_ONLY_OPTIONS = Set.of("help", "version", "stacktrace");

  /** Inputs of the action that no option reads: the subcommand itself. */
  private static final Set<String> ACTION_ONLY_INPUTS = Set.of("command");

  /** What BackupReport writes to GITHUB_OUTPUT. */
  private static final List<String> OUTPUTS =
      List.of(
          "object-key",
          "object-url",
          "size-bytes",
          "sha256",
          "encrypted",
          "duration-seconds",
          "pg-dump-version",
          "server-version",
          "manifest-key",
          "verification",
          "retention-deleted",
          "received-bytes",
          "restore-check",
          "backups",
          "roles-key",
          // What CheckReport writes.
          "checked",
          "problems",
          // What RestoreReport writes besides object-key and duration-seconds (ListReport: backups).
          "target-url",
          "pg-restore-version",
          "tables-restored",
          // With target-branch.
          "target-branch",
          "target-branch-id");

  @Test
  void every_option_of_the_backup_command_is_an_input_and_every_input_an_option() {
    Set<String> options = backupOptions();
    Set<String> inputs = new TreeSet<>(ActionYml.read().inputs().keySet());
    inputs.removeAll(ACTION_ONLY_INPUTS);

    assertEquals(
        Set.of(),
        difference(options, inputs),
        "options of the backup command that action.yml does not declare as inputs");
    assertEquals(
        Set.of(),
        difference(inputs, options),
        "inputs in action.yml that the backup command has no option for");
  }

  /** GitHub Marketplace cuts an action's description at 125 characters. */
  @Test
  void the_action_description_fits_the_marketplace() throws java.io.IOException {
    String description =
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("action.yml")).stream()
            .filter(line -> line.startsWith("description:"))
            .findFirst()
            .orElseThrow()
            .substring("description:".length())
            .strip()
            .replaceAll("^[\"']|[\"']$", "");
    assertFalse(description.isEmpty() || description.startsWith(">") || description.startsWith("|"), description);
    assertTrue(description.length() < 125, description.length() + " characters: " + description);
  }

  @Test
  void every_output_is_declared_with_a_description() {
    Map<String, Map<String, String>> outputs = ActionYml.read().outputs();
    assertEquals(
        Set.of(),
        difference(Set.copyOf(OUTPUTS), outputs.keySet()),
        "outputs missing from action.yml");
    assertEquals(
        Set.of(),
        difference(outputs.keySet(), Set.copyOf(OUTPUTS)),
        "outputs in action.yml that the program never writes");
    outputs.forEach(
        (name, fields) ->
            assertFalse(
                fields.getOrDefault("description", "").isBlank(),
                "output " + name + " has no description"));
  }

  @Test
  void every_input_has_a_description_and_says_whether_it_is_required() {
    ActionYml.read()
        .inputs()
        .forEach(
            (name, fields) -> {
              assertFalse(
                  fields.getOrDefault("description", "").isBlank(),
                  "input " + name + " has no description");
              assertTrue(
                  Set.of("true", "false").contains(fields.getOrDefault("required", "")),
                  "input " + name + " has no required: true|false");
            });
  }

  @Test
  void only_database_url_and_s3_bucket_are_required_and_have_no_default() {
    Map<String, Map<String, String>> inputs = ActionYml.read().inputs();
    Set<String> required =
        inputs.entrySet().stream()
            .filter(entry -> "true".equals(entry.getValue().get("required")))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of("s3-bucket"), required, "the one input every command needs");
    required.forEach(
        name -> assertFalse(inputs.get(name).containsKey("default"), name + " has a default"));
  }

  /**
   * The program applies its own defaults to a blank input, so a default in action.yml may only
   * write the program's default down.
   */
  @Test
  void the_defaults_in_action_yml_are_the_programs_own() {
    Map<String, String> defaults = new LinkedHashMap<>();
    ActionYml.read()
        .inputs()
        .forEach(
            (name, fields) -> {
              if (fields.containsKey("default")) {
                defaults.put(name, fields.get("default"));
              }
            });
    assertEquals(
        Map.ofEntries(
            Map.entry("command", "backup"),
            Map.entry("s3-prefix", "neon-backups/"),
            Map.entry("s3-force-path-style", "false"),
            Map.entry("s3-checksum", "auto"),
            Map.entry("compression", "auto"),
            Map.entry("pg-dump-client", "match"),
            Map.entry("verify", "full"),
            Map.entry("retention-dry-run", "false"),
            Map.entry("clean", "false"),
            Map.entry("allow-source-target", "false"),
            Map.entry("restore-check-branch", "false"),
            Map.entry("jobs", "1"),
            Map.entry("json", "false"),
            Map.entry("include-hidden", "false"),
            Map.entry("allow-pooled", "false"),
            Map.entry("verify-tls", "true"),
            Map.entry("connect-retries", "5"),
            Map.entry("parallel-databases", "1"),
            Map.entry("include-roles", "false"),
            Map.entry("max-age", "26h"),
            Map.entry("max-shrink", "50"),
            Map.entry("neon-api-url", "https://console.neon.tech/api/v2"),
            Map.entry("snapshot", "none")),
        defaults);
  }

  @Test
  void runs_a_prebuilt_image_with_its_own_entrypoint() {
    Map<String, String> runs = ActionYml.read().runs();
    assertEquals("docker", runs.get("using"));
    assertTrue(
        runs.getOrDefault("image", "")
            .matches("docker://ghcr\\.io/[a-z0-9-]+/neon-backup-action:[^\\s]+"),
        "runs.image is " + runs.get("image"));
    assertFalse(runs.containsKey("entrypoint"), "the image's entrypoint is the program");
    assertFalse(runs.containsKey("args"), "the program reads INPUT_* itself");
  }

  @Test
  void the_readme_lists_exactly_the_inputs_of_action_yml() {
    Set<String> readme = Readme.tableNames("Inputs");
    Set<String> action = ActionYml.read().inputs().keySet();
    assertEquals(Set.of(), difference(action, readme), "inputs missing from the README's table");
    assertEquals(
        Set.of(), difference(readme, action), "inputs in the README's table not in action.yml");
  }

  @Test
  void the_readme_lists_exactly_the_outputs_of_action_yml() {
    Set<String> readme = Readme.tableNames("Outputs");
    Set<String> action = ActionYml.read().outputs().keySet();
    assertEquals(Set.of(), difference(action, readme), "outputs missing from the README's table");
    assertEquals(
        Set.of(), difference(readme, action), "outputs in the README's table not in action.yml");
  }

  private static Set<String> backupOptions() {
    PrintWriter discard = new PrintWriter(new StringWriter());
    CommandLine commandLine = Cli.create(Map.of(), discard, discard, Clock.systemUTC());
    Set<String> names = new TreeSet<>();
    for (String command : List.of("backup", "list", "restore", "check")) {
      for (OptionSpec option : commandLine.getSubcommands().get(command).getCommandSpec().options()) {
        String name = option.longestName().replaceFirst("^--?", "");
        if (!PROGRAM_ONLY_OPTIONS.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> result = new TreeSet<>(a);
    result.removeAll(b);
    return result;
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(ROOT.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + ROOT.resolve(file).toAbsolutePath(), e);
    }
  }

  /**
   * The few shapes action.yml uses, read line by line: top-level sections, entries two spaces in
   * ({@code inputs.<name>:}), and their scalar fields four spaces in, where a {@code >-} or
   * {@code |} value continues on the more indented lines below.
   */
  public record ActionYml(
      Map<String, Map<String, String>> inputs,
      Map<String, Map<String, String>> outputs,
      Map<String, String> runs) {
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_-]+):(?: +(.*))?$");

    public static ActionYml read() {
      Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
      Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
      Map<String, String> runs = new LinkedHashMap<>();
      String section = null;
      Map<String, String> entry = null;
      String blockField = null;
      StringBuilder block = null;
      for (String raw : lines("action.yml")) {
        String line = stripComment(raw);
        if (line.isBlank()) {
          continue;
        }
        int indent = line.length() - line.stripLeading().length();
        if (block != null) {
          if (indent > 4) {
            block.append(block.length() == 0 ? "" : " ").append(line.strip());
            continue;
          }
          entry.put(blockField, block.toString());
          block = null;
        }
        Matcher key = KEY.matcher(line);
        if (!key.matches()) {
          continue;
        }
        String name = key.group(2);
        String value = key.group(3) == null ? "" : unquote(key.group(3).strip());
        if (indent == 0) {
          section = name;
          entry = null;
        } else if (indent == 2 && ("inputs".equals(section) || "outputs".equals(section))) {
          entry = new LinkedHashMap<>();
          ("inputs".equals(section) ? inputs : outputs).put(name, entry);
        } else if (indent == 2 && "runs".equals(section)) {
          runs.put(name, value);
        } else if (indent == 4 && entry != null) {
          if (value.equals(">-") || value.equals(">") || value.equals("|") || value.equals("|-")) {
            blockField = name;
            block = new StringBuilder();
          } else {
            entry.put(name, value);
          }
        }
      }
      if (block != null) {
        entry.put(blockField, block.toString());
      }
      assertFalse(inputs.isEmpty(), "action.yml declares no inputs");
      return new ActionYml(inputs, outputs, runs);
    }

    private static String stripComment(String line) {
      String trimmed = line.stripLeading();
      return trimmed.startsWith("#") ? "" : line.replaceFirst("\\s+#\\s.*$", "");
    }

    private static String unquote(String value) {
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        return value.substring(1, value.length() - 1);
      }
      return value;
    }
  }

  /** The README's Markdown tables: the names in backticks in the first cell of each row. */
  static final class Readme {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** The names in the first table under the heading {@code ## <heading>}. */
    static Set<String> tableNames(String heading) {
      List<String> lines = lines("README.md");
      int start = lines.indexOf("## " + heading);
      assertTrue(start >= 0, "README.md has no '## " + heading + "' section");
      List<String> rows = new ArrayList<>();
      boolean inTable = false;
      for (String line : lines.subList(start + 1, lines.size())) {
        if (line.startsWith("## ")) {
          break;
        }
        if (line.startsWith("|")) {
          inTable = true;
          rows.add(line);
        } else if (inTable) {
          break;
        }
      }
      assertTrue(rows.size() > 2, "no table under '## " + heading + "' in README.md");
      Set<String> names = new LinkedHashSet<>();
      for (String row : rows.subList(2, rows.size())) { // after the header and the |---| line
        String firstCell = row.split("\\|", -1)[1];
        Matcher code = CODE.matcher(firstCell);
        while (code.find()) {
          names.add(code.group(1));
        }
      }
      return names;
    }
  }
}
