package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * aws-role-arn, aws-role-session-name and aws-role-duration-seconds refused before anything is
 * contacted: exit status 2 and one line naming the input, whether given as a flag or as the
 * runner's INPUT_* variable, for backup, list and restore alike.
 */
class RoleInputsCliTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T03:15:00Z"), ZoneOffset.UTC);
  private static final String ARN = "arn:aws:iam::123456789012:role/neon-backup";
  private static final String REQUEST_TOKEN = "runner-request-token-EXAMPLE";

  private record Run(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  private static Map<String, String> runner() {
    Map<String, String> environment = new HashMap<>();
    environment.put("ACTIONS_ID_TOKEN_REQUEST_URL", "http://127.0.0.1:9/idtoken?api-version=2.0");
    environment.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    environment.put("INPUT_DATABASE-URL", "postgresql://u:AbC123dEf@127.0.0.1:9/db");
    environment.put("INPUT_S3-BUCKET", "my-backups");
    environment.put("INPUT_BACKUP-KEY", "latest");
    environment.put("INPUT_TARGET-URL", "postgresql://u:AbC123dEf@127.0.0.1:9/target");
    return environment;
  }

  private static Run run(Map<String, String> environment, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Cli.create(environment, new PrintWriter(out), new PrintWriter(err), CLOCK)
            .execute(args.toArray(new String[0]));
    return new Run(status, out.toString(), err.toString());
  }

  /** The input given as --name value, then (with the second value) as INPUT_NAME. */
  private static void assertRefusedBothWays(
      String command, String input, String asFlag, String asVariable, String expectedStart,
      Map<String, String> environment) {
    List<String> args = new ArrayList<>(List.of(command, "--" + input, asFlag));
    Run flag = run(environment, args);
    Map<String, String> withVariable = new HashMap<>(environment);
    withVariable.put(InputEnvironment.variableFor(input), asVariable);
    Run variable = run(withVariable, List.of(command));
    for (Run run : List.of(flag, variable)) {
      assertEquals(2, run.status(), run.toString());
      List<String> lines = run.err().lines().toList();
      assertEquals(1, lines.size(), run.toString());
      assertTrue(lines.get(0).startsWith("error: " + expectedStart), run.toString());
      assertFalse(run.err().contains(REQUEST_TOKEN) || run.out().contains(REQUEST_TOKEN), run.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"backup", "list", "restore"})
  void a_malformed_role_arn_is_exit_2(String command) {
    assertRefusedBothWays(
        command, "aws-role-arn", "neon-backup", "arn:aws:iam::1234:role/neon-backup",
        "aws-role-arn must be an IAM role ARN", runner());
  }

  @ParameterizedTest
  @CsvSource({"backup,899,12h", "list,43201,3600.0", "restore,0x384,-1"})
  void a_duration_outside_900_to_43200_is_exit_2(String command, String flag, String variable) {
    Map<String, String> environment = runner();
    environment.put("INPUT_AWS-ROLE-ARN", ARN);
    assertRefusedBothWays(
        command, "aws-role-duration-seconds", flag, variable,
        "aws-role-duration-seconds must be a whole number from 900 to 43200",
        environment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"backup", "list", "restore"})
  void a_session_name_aws_would_refuse_is_exit_2(String command) {
    Map<String, String> environment = runner();
    environment.put("INPUT_AWS-ROLE-ARN", ARN);
    assertRefusedBothWays(
        command, "aws-role-session-name", "x", "nightly backup",
        "aws-role-session-name must be 2 to 64 letters, digits or +=,.@_-", environment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"backup", "list", "restore"})
  void a_role_with_static_keys_is_exit_2(String command) {
    Map<String, String> environment = runner();
    environment.put("INPUT_AWS-ACCESS-KEY-ID", "AKIAEXAMPLE");
    environment.put("INPUT_AWS-SECRET-ACCESS-KEY", "secret-EXAMPLE");
    assertRefusedBothWays(
        command, "aws-role-arn", ARN, "arn:aws:iam::123456789012:role/other",
        "aws-role-arn and aws-access-key-id exclude each other", environment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"backup", "list", "restore"})
  void a_role_without_id_token_write_permission_is_exit_2(String command) {
    Map<String, String> environment = runner();
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_URL");
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    assertRefusedBothWays(
        command, "aws-role-arn", ARN, "arn:aws:iam::123456789012:role/other",
        "aws-role-arn needs a GitHub OIDC token", environment);
  }
}
