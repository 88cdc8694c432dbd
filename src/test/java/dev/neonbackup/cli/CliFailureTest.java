package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the command line on inputs that fail validation, before any server is contacted, and checks
 * the exit status and the exact words on stdout and stderr.
 */
class CliFailureTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:00Z"), ZoneOffset.UTC);
  private static final String PASSWORD = "AbC123dEf";

  /** One run's exit status and captured streams; its toString shows both, for failure messages. */
  private record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  private static Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Cli.create(environment, new PrintWriter(out), new PrintWriter(err), CLOCK).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private static Map<String, String> env(String... keysAndValues) {
    Map<String, String> environment = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      environment.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return environment;
  }

  private static void assertNoPassword(Run run) {
    assertFalse(run.out().contains(PASSWORD), run.toString());
    assertFalse(run.err().contains(PASSWORD), run.toString());
  }

  @Test
  void asks_for_the_database_url_first_when_nothing_is_given() {
    Run run = run(env(), "backup");
    assertEquals(2, run.status(), run.toString());
    assertEquals(1, run.errLines().size(), run.toString());
    assertTrue(run.err().startsWith("error: database-url is required"), run.toString());
    assertEquals("", run.out(), run.toString());
  }

  @Test
  void prints_the_error_only_as_an_annotation_titled_by_the_command_under_actions() {
    Run run = run(env("GITHUB_ACTIONS", "true"), "backup");
    assertEquals(2, run.status(), run.toString());
    assertEquals("", run.err(), run.toString());
    assertEquals(1, run.out().lines().count(), run.toString());
    assertTrue(run.out().startsWith("::error title=Backup failed::database-url is required"), run.toString());

    Run restore = run(env("GITHUB_ACTIONS", "true", "INPUT_JOBS", "0"), "restore");
    assertEquals(
        "::error title=Restore failed::jobs must be a whole number from 1 to 999 (got '0')\n",
        restore.out().replace("\r\n", "\n"),
        restore.toString());
  }

  @Test
  void asks_for_the_bucket_when_only_the_database_url_is_given() {
    Run run = run(env("INPUT_DATABASE-URL", "postgresql://alex:" + PASSWORD + "@h/neondb"), "backup");
    assertEquals(2, run.status(), run.toString());
    assertEquals(
        List.of("error: s3-bucket is required (set it in the action's with: block, or pass --s3-bucket)"),
        run.errLines(),
        run.toString());
    assertNoPassword(run);
  }

  @Test
  void prints_one_line_and_no_stack_trace_for_bad_input() {
    Run run = run(env("INPUT_S3-BUCKET", "s3://x"), "backup");
    assertEquals(2, run.status(), run.toString());
    assertEquals(1, run.errLines().size(), run.toString());
    assertTrue(run.err().startsWith("error: "), run.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://alex:" + PASSWORD + "@host:notaport/neondb",
        "postgresql://alex:" + PASSWORD + "%@host/neondb",
        "postgresql://alex:" + PASSWORD + "@[::1/neondb",
        "postgresql://alex@host/neondb?password=" + PASSWORD + "&sslmode",
        "host=h password='" + PASSWORD,
        "host=h " + PASSWORD,
        PASSWORD
      })
  void never_prints_the_password_of_a_malformed_database_url(String databaseUrl) {
    for (String actions : List.of("true", "false")) {
      Run run =
          run(
              env(
                  "GITHUB_ACTIONS", actions,
                  "INPUT_S3-BUCKET", "my-backups",
                  "INPUT_DATABASE-URL", databaseUrl),
              "backup");
      assertEquals(2, run.status(), run.toString());
      String said = actions.equals("true") ? run.out() : run.err();
      String start = actions.equals("true") ? "::error title=Backup failed::database-url " : "error: database-url ";
      assertTrue(said.startsWith(start), run.toString());
      assertNoPassword(run);
    }
  }

  @Test
  void never_prints_the_password_of_a_malformed_database_url_given_as_a_flag() {
    Run run =
        run(
            env("GITHUB_ACTIONS", "true"),
            "backup",
            "--s3-bucket",
            "my-backups",
            "--database-url",
            "postgresql://alex:" + PASSWORD + "@host:5432x/neondb");
    assertEquals(2, run.status(), run.toString());
    assertEquals("", run.err(), run.toString());
    assertEquals(
        "::error title=Backup failed::database-url has a port that is not a number\n",
        run.out().replace("\r\n", "\n"),
        run.toString());
    assertNoPassword(run);
  }

  @Test
  void never_prints_the_password_of_a_connection_string_given_without_its_flag() {
    Run run =
        run(
            env("GITHUB_ACTIONS", "true", "INPUT_S3-BUCKET", "my-backups"),
            Cli.withDefaultCommand(new String[] {"postgresql://alex:" + PASSWORD + "@h/neondb"}));
    assertEquals(2, run.status(), run.toString());
    assertNoPassword(run);
  }

  @Test
  void names_a_refused_pg_dump_option() {
    Run run =
        run(
            env(
                "INPUT_S3-BUCKET", "my-backups",
                "INPUT_DATABASE-URL", "postgresql://alex:" + PASSWORD + "@h/neondb",
                "INPUT_PG-DUMP-OPTIONS", "--no-owner -f out.dump"),
            "backup");
    assertEquals(2, run.status(), run.toString());
    assertEquals(
        List.of("error: pg-dump-options: -f is refused: the archive is streamed to S3 from stdout"),
        run.errLines(),
        run.toString());
    assertNoPassword(run);
  }

  @Test
  void refuses_an_unknown_option_with_status_2() {
    Run run = run(env(), "backup", "--s3-buckit", "x");
    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().contains("--s3-buckit"), run.toString());
    assertEquals(
        "Run 'neon-backup-action backup --help' for the options.",
        run.errLines().get(run.errLines().size() - 1),
        run.toString());
  }

  @Test
  void restore_into_a_new_branch_refuses_bad_inputs_naming_them_before_any_call() {
    String key = "napi_" + "s".repeat(40);
    Map<String, Run> runs = new java.util.LinkedHashMap<>();
    runs.put("target-branch-ttl must be a whole number of at least 1 and a unit",
        run(env("INPUT_TARGET-BRANCH-TTL", "5x"), "restore", "--backup-key", "latest", "--target-branch", "copy"));
    runs.put("target-url and target-branch are exclusive",
        run(env("INPUT_NEON-API-KEY", key, "INPUT_TARGET-URL", "postgresql://u:" + PASSWORD + "@h/db"),
            "restore", "--backup-key", "latest", "--target-branch", "copy", "--s3-bucket", "b"));
    runs.put("target-branch needs neon-api-key",
        run(env(), "restore", "--backup-key", "latest", "--target-branch", "copy", "--neon-project-id", "p-1"));
    runs.put("target-branch needs neon-project-id",
        run(env("INPUT_NEON-API-KEY", key), "restore", "--backup-key", "latest", "--target-branch", "copy"));
    runs.put("target-branch must be a new branch name",
        run(env("INPUT_TARGET-BRANCH", "x".repeat(257), "INPUT_NEON-API-KEY", key), "restore", "--backup-key", "latest"));
    runs.put("target-branch-ttl needs target-branch",
        run(env("INPUT_TARGET-URL", "postgresql://u@h/db"), "restore", "--backup-key", "latest", "--target-branch-ttl", "2d"));
    runs.forEach(
        (message, run) -> {
          assertEquals(2, run.status(), run.toString());
          assertEquals(1, run.errLines().size(), run.toString());
          assertTrue(run.err().startsWith("error: " + message), message + "\n" + run);
          assertFalse(run.err().contains(key) || run.out().contains(key), run.toString());
          assertNoPassword(run);
        });
  }

  @Test
  void prints_only_the_message_of_a_refused_input_value() {
    Run run = run(env("INPUT_KEEP-LAST", "x"), "backup");
    assertEquals(2, run.status(), run.toString());
    assertEquals(
        List.of("error: keep-last must be a whole number of at least 1 (got 'x')"),
        run.errLines(),
        run.toString());
    assertEquals("", run.out(), run.toString());
  }

  @Test
  void annotates_a_refused_flag_value_under_actions() {
    Run run = run(env("GITHUB_ACTIONS", "true"), "backup", "--verify", "x");
    assertEquals(2, run.status(), run.toString());
    assertEquals("", run.err(), run.toString());
    assertEquals(
        "::error title=Backup failed::verify 'x' is not one of: full, toc, none\n",
        run.out().replace("\r\n", "\n"),
        run.toString());
  }

  @Test
  void refuses_an_unknown_pg_dump_client_naming_the_input_and_the_allowed_values() {
    Run input = run(env("GITHUB_ACTIONS", "true", "INPUT_PG-DUMP-CLIENT", "latest"), "backup");
    assertEquals(2, input.status(), input.toString());
    assertEquals("", input.err(), input.toString());
    assertEquals(
        "::error title=Backup failed::pg-dump-client 'latest' is not one of: match, newest\n",
        input.out().replace("\r\n", "\n"),
        input.toString());
    Run flag = run(env("INPUT_PG-DUMP-CLIENT", "match"), "backup", "--pg-dump-client=17");
    assertEquals(2, flag.status(), flag.toString());
    assertEquals(
        List.of("error: pg-dump-client '17' is not one of: match, newest"),
        flag.errLines(),
        flag.toString());
  }

  @Test
  void names_the_input_of_a_refused_boolean_flag() {
    Run run = run(env(), "list", "--json", "yes");
    assertEquals(2, run.status(), run.toString());
    assertEquals(
        List.of("error: json must be true or false (got 'yes')"), run.errLines(), run.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void treats_a_blank_typed_input_as_unset(String blank) {
    Run run = run(env("INPUT_KEEP-LAST", blank, "INPUT_JOBS", blank), "backup");
    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().startsWith("error: database-url is required"), run.toString());
  }

  @ParameterizedTest
  @CsvSource({"RUNNER_DEBUG, 1", "ACTIONS_STEP_DEBUG, true"})
  void prints_the_stack_trace_when_debug_logging_is_on(String variable, String value) {
    Run run = run(env(variable, value), "backup");
    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().startsWith("error: database-url is required"), run.toString());
    assertTrue(run.err().contains("InputException"), run.toString());
    assertTrue(run.errLines().size() > 2, run.toString());

    Run refused = run(env(variable, value, "INPUT_JOBS", "0"), "restore");
    assertEquals(2, refused.status(), refused.toString());
    assertTrue(refused.err().startsWith("error: jobs must be a whole number from 1 to 999 (got '0')"));
    assertTrue(refused.err().contains("InputException"), refused.toString());
  }

  @ParameterizedTest
  @CsvSource({"RUNNER_DEBUG, 0", "RUNNER_DEBUG, ''", "ACTIONS_STEP_DEBUG, false"})
  void prints_no_stack_trace_when_debug_logging_is_off(String variable, String value) {
    Run run = run(env(variable, value), "backup");
    assertEquals(1, run.errLines().size(), run.toString());
  }

  @Test
  void prints_the_version() {
    Run run = run(env(), "--version");
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().startsWith("neon-backup-action "), run.toString());
    assertEquals("", run.err(), run.toString());
  }

  @Test
  void a_lone_version_flag_is_answered_without_the_command_line_and_says_the_same() {
    String picocli = run(env(), "--version").out().strip();
    assertEquals(java.util.Optional.of(picocli), Cli.versionOnly(new String[] {"--version"}));
    assertEquals(java.util.Optional.of(picocli), Cli.versionOnly(new String[] {"-V"}));
    assertTrue(Cli.versionOnly(new String[] {"backup", "--version"}).isEmpty());
    assertTrue(Cli.versionOnly(new String[] {"--version", "extra"}).isEmpty());
    assertTrue(Cli.versionOnly(new String[] {}).isEmpty());
  }

  @Test
  void prints_the_usage_with_help() {
    Run run = run(env(), "--help");
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("Usage: neon-backup-action"), run.toString());
    assertTrue(run.out().contains("backup"), run.toString());
  }

  @Test
  void prints_the_backup_usage_with_backup_help() {
    Run run = run(env(), "backup", "--help");
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("--database-url"), run.toString());
    assertTrue(run.out().contains("--s3-bucket"), run.toString());
  }

  @Test
  void runs_the_help_subcommand_the_default_command_leaves_untouched() {
    Run run = run(env(), Cli.withDefaultCommand(new String[] {"help"}));
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("Usage: neon-backup-action"), run.toString());
  }

  /**
   * A mistyped secret flag must not echo the secret that follows it: picocli names every argument
   * it could not match, and a value is just such an argument.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "--aws-secret-acces-key=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
        "--aws-secret-acces-key|wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
        "--age-identiy|AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
        "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
      })
  void an_unknown_option_or_stray_argument_is_named_without_its_value(String given) {
    String[] args = given.split("\\|");
    String secret = args[args.length - 1].replaceFirst("^--[a-z-]+=", "");
    String[] full = new String[args.length + 1];
    full[0] = "backup";
    System.arraycopy(args, 0, full, 1, args.length);
    Run run = run(env(), full);
    assertEquals(2, run.status(), run.toString());
    assertFalse(run.err().contains(secret) || run.out().contains(secret), run.toString());
    if (given.startsWith("--")) {
      assertTrue(run.err().contains(args[0].replaceFirst("=.*", "")), "the option is named: " + run);
    }
  }
}
