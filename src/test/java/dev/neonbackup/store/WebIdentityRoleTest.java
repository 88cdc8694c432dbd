package dev.neonbackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** aws-role-arn and its companions, as StorageSettings validates them from the inputs. */
class WebIdentityRoleTest {
  private static final String ARN = "arn:aws:iam::123456789012:role/neon-backup";
  private static final String REQUEST_TOKEN = "runner-request-token-EXAMPLE";
  private static final String TOKEN_URL =
      "https://pipelines.actions.githubusercontent.com/abc/idtoken/def?api-version=2.0";

  private static Map<String, String> runner() {
    Map<String, String> environment = new HashMap<>();
    environment.put(WebIdentityRole.TOKEN_URL_VARIABLE, TOKEN_URL);
    environment.put(WebIdentityRole.REQUEST_TOKEN_VARIABLE, REQUEST_TOKEN);
    environment.put("GITHUB_RUN_ID", "16000000001");
    return environment;
  }

  private static StorageSettings.Builder role(String arn) {
    return StorageSettings.builder().bucket("my-backups").roleArn(arn);
  }

  private static String failure(StorageSettings.Builder inputs, Map<String, String> environment) {
    return assertThrows(InputException.class, () -> inputs.build(environment)).getMessage();
  }

  @Test
  void a_role_with_the_runners_token_variables_gives_a_web_identity_role() {
    StorageSettings settings = role(ARN).build(runner());
    WebIdentityRole role = settings.role().orElseThrow();
    assertEquals(ARN, role.roleArn());
    assertEquals("neon-backup-action-16000000001", role.sessionName());
    assertEquals(Optional.empty(), role.durationSeconds());
    assertEquals(URI.create(TOKEN_URL), role.tokenUrl());
    assertEquals(Secret.of(REQUEST_TOKEN), role.requestToken());
    assertTrue(settings.credentials().isEmpty());
  }

  @Test
  void the_request_token_is_a_secret_of_the_settings_and_never_in_their_text() {
    StorageSettings settings = role(ARN).build(runner());
    assertTrue(settings.secrets().contains(Secret.of(REQUEST_TOKEN)), settings.secrets().toString());
    assertFalse(settings.toString().contains(REQUEST_TOKEN), settings.toString());
  }

  @Test
  void no_role_without_the_input() {
    assertEquals(
        Optional.empty(), StorageSettings.builder().bucket("my-backups").build(runner()).role());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws-us-gov:iam::123456789012:role/backups",
        "arn:aws-cn:iam::123456789012:role/path/to/backup-role",
        "arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h"
      })
  void accepts_role_arns_of_every_partition_and_path(String arn) {
    assertEquals(arn, role(arn).build(runner()).role().orElseThrow().roleArn());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "neon-backup",
        "arn:aws:iam::12345:role/neon-backup",
        "arn:aws:iam::123456789012:user/neon-backup",
        "arn:aws:sts::123456789012:assumed-role/neon-backup/session",
        "arn:aws:iam::123456789012:role/"
      })
  void refuses_a_role_arn_of_another_shape(String arn) {
    String message = failure(role(arn), runner());
    assertTrue(message.startsWith("aws-role-arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/"), message);
    assertTrue(message.contains("'" + arn + "'"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"899", "43201", "3600s", "1h", "-900", "900.5"})
  void refuses_a_duration_outside_900_to_43200_seconds(String duration) {
    String message = failure(role(ARN).roleDurationSeconds(duration), runner());
    assertEquals(
        "aws-role-duration-seconds must be a whole number from 900 to 43200 (got '"
            + duration
            + "')",
        message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"900", "3600", "43200", " 7200 "})
  void accepts_a_duration_from_900_to_43200_seconds(String duration) {
    assertEquals(
        Optional.of(Integer.parseInt(duration.strip())),
        role(ARN).roleDurationSeconds(duration).build(runner()).role().orElseThrow().durationSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "has space", "semi;colon", "slash/not", "waytoolong-waytoolong-waytoolong-waytoolong-waytoolong-waytoolong"})
  void refuses_a_session_name_aws_would_refuse(String name) {
    String message = failure(role(ARN).roleSessionName(name), runner());
    assertTrue(
        message.startsWith("aws-role-session-name must be 2 to 64 letters, digits or +=,.@_-"),
        message);
  }

  @Test
  void takes_a_session_name_as_given() {
    assertEquals(
        "nightly@neondb",
        role(ARN).roleSessionName("nightly@neondb").build(runner()).role().orElseThrow().sessionName());
  }

  @Test
  void the_default_session_name_keeps_to_the_rules_whatever_the_run_id() {
    Map<String, String> environment = runner();
    environment.put("GITHUB_RUN_ID", "12 34/56" + "9".repeat(80));
    String name = role(ARN).build(environment).role().orElseThrow().sessionName();
    assertTrue(name.matches("[\\w+=,.@-]{2,64}"), name);
    assertTrue(name.startsWith("neon-backup-action-12-34-56"), name);
    environment.remove("GITHUB_RUN_ID");
    assertEquals("neon-backup-action", role(ARN).build(environment).role().orElseThrow().sessionName());
  }

  @Test
  void refuses_a_role_together_with_static_keys() {
    String message =
        failure(
            role(ARN).accessKeyId("AKIAEXAMPLE").secretAccessKey(Secret.of("secret-EXAMPLE")),
            runner());
    assertTrue(message.startsWith("aws-role-arn and aws-access-key-id exclude each other"), message);
    assertFalse(message.contains("secret-EXAMPLE"), message);
  }

  @Test
  void refuses_the_role_companions_without_a_role() {
    assertTrue(
        failure(StorageSettings.builder().bucket("my-backups").roleSessionName("nightly"), runner())
            .startsWith("aws-role-session-name needs aws-role-arn"));
    assertTrue(
        failure(StorageSettings.builder().bucket("my-backups").roleDurationSeconds("900"), runner())
            .startsWith("aws-role-duration-seconds needs aws-role-arn"));
  }

  @ParameterizedTest
  @ValueSource(strings = {WebIdentityRole.TOKEN_URL_VARIABLE, WebIdentityRole.REQUEST_TOKEN_VARIABLE})
  void a_role_needs_the_runners_token_variables(String missing) {
    Map<String, String> environment = runner();
    environment.put(missing, "");
    String message = failure(role(ARN), environment);
    assertTrue(message.startsWith("aws-role-arn needs a GitHub OIDC token"), message);
    assertTrue(message.contains("permissions: id-token: write"), message);
    assertFalse(message.contains(REQUEST_TOKEN), message);
  }

  @Test
  void refuses_a_token_url_that_is_not_http() {
    Map<String, String> environment = runner();
    environment.put(WebIdentityRole.TOKEN_URL_VARIABLE, "not a url");
    String message = failure(role(ARN), environment);
    assertTrue(message.startsWith(WebIdentityRole.TOKEN_URL_VARIABLE + " is not an http(s) URL"), message);
  }
}
