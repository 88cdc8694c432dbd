package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Parses command lines into {@link BackupCommand} without running anything. */
class CliParsingTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:15:00Z"), ZoneOffset.UTC);

  private static BackupCommand parse(Map<String, String> environment, String... args) {
    CommandLine commandLine =
        Cli.create(
            environment, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), CLOCK);
    ParseResult result = commandLine.parseArgs(args);
    assertTrue(result.hasSubcommand(), "no subcommand parsed");
    return (BackupCommand) result.subcommand().commandSpec().userObject();
  }

  private static Map<String, String> env(String... keysAndValues) {
    Map<String, String> environment = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      environment.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return environment;
  }

  @Test
  void leaves_every_option_unset_without_flags_or_inputs() {
    BackupCommand backup = parse(env(), "backup");
    assertNull(backup.databaseUrl);
    assertNull(backup.storage.bucket);
    assertNull(backup.storage.prefix);
    assertNull(backup.storage.region);
    assertNull(backup.storage.accessKeyId);
    assertNull(backup.restoreCheckUrl);
    assertTypedOptionsUnset(backup);
    assertFalse(backup.common.stacktrace);
  }

  private static void assertTypedOptionsUnset(BackupCommand backup) {
    assertNull(backup.retention.keepLast);
    assertNull(backup.retention.keepDays);
    assertNull(backup.retention.keepDaily);
    assertNull(backup.retention.keepWeekly);
    assertNull(backup.retention.keepMonthly);
    assertNull(backup.retention.dryRun);
    assertNull(backup.databases.allowPooled);
    assertNull(backup.databases.connectRetries);
    assertNull(backup.databases.parallelDatabases);
    assertNull(backup.databases.includeRoles);
    assertNull(backup.databases.tls.verifyTls);
    assertNull(backup.verify);
    assertNull(backup.compression);
    assertNull(backup.pgDumpClient);
    assertNull(backup.pgDumpOptions);
    assertNull(backup.pgBinDir);
    assertNull(backup.storage.endpoint);
    assertNull(backup.storage.forcePathStyle);
    assertNull(backup.storage.secretAccessKey);
    assertNull(backup.storage.sessionToken);
    assertNull(backup.storage.checksum);
  }

  @Test
  void reads_the_bucket_from_input_s3_bucket() {
    assertEquals("my-backups", parse(env("INPUT_S3-BUCKET", "my-backups"), "backup").storage.bucket);
  }

  @Test
  void reads_every_option_from_its_input_variable() {
    BackupCommand backup =
        parse(
            env(
                "INPUT_DATABASE-URL", "postgresql://alex:AbC123dEf@h/neondb",
                "INPUT_COMPRESSION", "zstd:5",
                "INPUT_PG-DUMP-CLIENT", "newest",
                "INPUT_PG-DUMP-OPTIONS", "--no-owner",
                "INPUT_PG-BIN-DIR", "/usr/lib/postgresql/17/bin",
                "INPUT_S3-BUCKET", "my-backups",
                "INPUT_S3-PREFIX", "team/",
                "INPUT_AWS-REGION", "eu-west-1",
                "INPUT_S3-ENDPOINT", "http://localhost:9000",
                "INPUT_S3-FORCE-PATH-STYLE", "true",
                "INPUT_AWS-ACCESS-KEY-ID", "AKIAEXAMPLE",
                "INPUT_AWS-SECRET-ACCESS-KEY", "secret",
                "INPUT_AWS-SESSION-TOKEN", "token",
                "INPUT_S3-CHECKSUM", "on"),
            "backup");
    assertEquals("postgresql://alex:AbC123dEf@h/neondb", backup.databaseUrl);
    assertEquals(Compression.parse("zstd:5"), backup.compression);
    assertEquals(PgDumpClient.NEWEST, backup.pgDumpClient);
    assertEquals(List.of("--no-owner"), backup.pgDumpOptions);
    assertEquals(Path.of("/usr/lib/postgresql/17/bin"), backup.pgBinDir);
    assertEquals("my-backups", backup.storage.bucket);
    assertEquals("team/", backup.storage.prefix);
    assertEquals("eu-west-1", backup.storage.region);
    assertEquals(URI.create("http://localhost:9000"), backup.storage.endpoint);
    assertEquals(Boolean.TRUE, backup.storage.forcePathStyle);
    assertEquals("AKIAEXAMPLE", backup.storage.accessKeyId);
    assertEquals(Secret.of("secret"), backup.storage.secretAccessKey);
    assertEquals(Secret.of("token"), backup.storage.sessionToken);
    assertEquals(ChecksumMode.ON, backup.storage.checksum);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n"})
  void ignores_a_blank_input_variable(String blank) {
    BackupCommand backup = parse(env("INPUT_S3-PREFIX", blank, "INPUT_DATABASE-URL", blank), "backup");
    assertNull(backup.storage.prefix);
    assertNull(backup.databaseUrl);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n"})
  void leaves_a_typed_option_unset_for_a_blank_input_variable(String blank) {
    Map<String, String> environment = new HashMap<>();
    for (String input :
        List.of(
            "keep-last", "keep-days", "keep-daily", "keep-weekly", "keep-monthly",
            "retention-dry-run", "allow-pooled", "connect-retries", "parallel-databases",
            "include-roles", "verify-tls", "verify", "compression", "pg-dump-client", "pg-dump-options", "pg-bin-dir", "s3-endpoint",
            "s3-force-path-style", "aws-secret-access-key", "aws-session-token", "s3-checksum")) {
      environment.put(InputEnvironment.variableFor(input), blank);
    }
    BackupCommand backup = parse(environment, "backup");
    assertTypedOptionsUnset(backup);
  }

  @Test
  void converts_typed_options_given_as_flags() {
    BackupCommand backup =
        parse(
            env(),
            "backup",
            "--keep-last",
            "7",
            "--keep-days=30",
            "--retention-dry-run",
            "--allow-pooled=false",
            "--verify-tls=false",
            "--connect-retries",
            "0",
            "--parallel-databases",
            "4",
            "--include-roles",
            "true",
            "--verify",
            "TOC",
            "--pg-dump-options",
            "--no-owner -n 'my schema'");
    assertEquals(7, backup.retention.keepLast);
    assertEquals(30, backup.retention.keepDays);
    assertEquals(Boolean.TRUE, backup.retention.dryRun);
    assertEquals(Boolean.FALSE, backup.databases.allowPooled);
    assertEquals(Boolean.FALSE, backup.databases.tls.verifyTls);
    assertEquals(0, backup.databases.connectRetries);
    assertEquals(4, backup.databases.parallelDatabases);
    assertEquals(Boolean.TRUE, backup.databases.includeRoles);
    assertEquals(ArchiveVerifier.Mode.TOC, backup.verify);
    assertEquals(List.of("--no-owner", "-n", "my schema"), backup.pgDumpOptions);
  }

  @Test
  void refuses_a_bad_flag_value_with_the_converters_message() {
    CommandLine commandLine =
        Cli.create(env(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), CLOCK);
    CommandLine.ParameterException e =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> commandLine.parseArgs("backup", "--s3-force-path-style", "yes"));
    assertEquals(InputException.class, e.getCause().getClass());
    assertEquals("s3-force-path-style must be true or false (got 'yes')", e.getCause().getMessage());
  }

  @Test
  void lets_a_flag_win_over_the_input_variable() {
    BackupCommand backup =
        parse(
            env("INPUT_S3-BUCKET", "from-env", "INPUT_S3-PREFIX", "env/"),
            "backup",
            "--s3-bucket",
            "from-flag",
            "--s3-prefix=flag/");
    assertEquals("from-flag", backup.storage.bucket);
    assertEquals("flag/", backup.storage.prefix);
  }

  @Test
  void lets_a_flag_set_what_a_blank_input_variable_left_unset() {
    BackupCommand backup = parse(env("INPUT_S3-BUCKET", ""), "backup", "--s3-bucket", "x");
    assertEquals("x", backup.storage.bucket);
  }

  @Test
  void reads_only_the_input_variables_not_bare_aws_ones() {
    BackupCommand backup =
        parse(env("AWS_REGION", "eu-west-1", "S3_BUCKET", "x", "INPUT_S3_BUCKET", "y"), "backup");
    assertNull(backup.storage.region);
    assertNull(backup.storage.bucket);
  }

  @Test
  void takes_true_for_force_path_style_given_without_a_value() {
    assertEquals(Boolean.TRUE, parse(env(), "backup", "--s3-force-path-style").storage.forcePathStyle);
    assertEquals(
        Boolean.FALSE, parse(env(), "backup", "--s3-force-path-style", "false").storage.forcePathStyle);
  }

  @Test
  void reads_the_stacktrace_flag() {
    assertTrue(parse(env(), "backup", "--stacktrace").common.stacktrace);
  }

  @Test
  void parses_the_arguments_the_default_command_adds() {
    BackupCommand backup =
        parse(env(), Cli.withDefaultCommand(new String[] {"--s3-bucket", "x", "--database-url=y=z"}));
    assertEquals("x", backup.storage.bucket);
    assertEquals("y=z", backup.databaseUrl);
  }

  @Test
  void refuses_an_unknown_option() {
    CommandLine commandLine =
        Cli.create(env(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), CLOCK);
    assertThrows(CommandLine.UnmatchedArgumentException.class, () -> commandLine.parseArgs("backup", "--s3-buckit", "x"));
  }

  // --- the default command

  @Test
  void runs_backup_without_arguments() {
    assertArrayEquals(new String[] {"backup"}, Cli.withDefaultCommand(new String[0]));
  }

  @Test
  void puts_backup_before_options() {
    assertArrayEquals(
        new String[] {"backup", "--s3-bucket", "x"},
        Cli.withDefaultCommand(new String[] {"--s3-bucket", "x"}));
    assertArrayEquals(
        new String[] {"backup", "--stacktrace"}, Cli.withDefaultCommand(new String[] {"--stacktrace"}));
  }

  @ParameterizedTest
  @ValueSource(strings = {"backup", "help", "--help", "-h", "--version", "-V"})
  void leaves_a_subcommand_or_a_root_option_first_untouched(String first) {
    String[] args = {first, "--s3-bucket", "x"};
    assertArrayEquals(new String[] {first, "--s3-bucket", "x"}, Cli.withDefaultCommand(args));
  }

  @Test
  void leaves_backup_help_untouched() {
    assertArrayEquals(
        new String[] {"backup", "--help"}, Cli.withDefaultCommand(new String[] {"backup", "--help"}));
  }

  @Test
  void does_not_change_the_callers_array() {
    String[] args = {"--s3-bucket", "x"};
    Cli.withDefaultCommand(args);
    assertArrayEquals(new String[] {"--s3-bucket", "x"}, args);
  }

  @Test
  void registers_every_subcommand_the_default_command_leaves_untouched() {
    CommandLine commandLine =
        Cli.create(env(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), CLOCK);
    assertEquals(Cli.SUBCOMMANDS, commandLine.getSubcommands().keySet());
  }
}
