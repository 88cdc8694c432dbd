package dev.neonbackup.store;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.store.StorageSettings.StaticCredentials;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageSettingsTest {
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";

  /** Every input unset, except the bucket. */
  private static StorageSettings.Builder bucketOnly() {
    return StorageSettings.builder().bucket("my-backups");
  }

  private static StorageSettings.Builder withBucket(String bucket) {
    return StorageSettings.builder().bucket(bucket);
  }

  private static StorageSettings.Builder withPrefix(String prefix) {
    return bucketOnly().prefix(prefix);
  }

  private static StorageSettings.Builder withRegion(String region) {
    return bucketOnly().region(region);
  }

  /** The secrets as the command line converts them: blank is unset. */
  private static StorageSettings.Builder withCredentials(String keyId, String secret, String token) {
    return bucketOnly()
        .accessKeyId(keyId)
        .secretAccessKey(Inputs.optional(secret).map(Secret::of).orElse(null))
        .sessionToken(Inputs.optional(token).map(Secret::of).orElse(null));
  }

  private static StorageSettings settings(StorageSettings.Builder inputs) {
    return inputs.build(Map.of());
  }

  private static String failure(StorageSettings.Builder inputs) {
    return failure(() -> settings(inputs));
  }

  private static String failure(Executable validation) {
    InputException e = assertThrows(InputException.class, validation);
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
    return e.getMessage();
  }

  @Test
  void defaults_everything_but_the_bucket() {
    StorageSettings settings = settings(bucketOnly());
    assertEquals("my-backups", settings.bucket());
    assertEquals("neon-backups/", settings.prefix());
    assertEquals("us-east-1", settings.region());
    assertEquals(Optional.empty(), settings.endpoint());
    assertFalse(settings.forcePathStyle());
    assertEquals(Optional.empty(), settings.credentials());
    assertEquals(ChecksumMode.AUTO, settings.checksumMode());
    assertTrue(settings.checksumsEnabled());
    assertEquals(List.of(), settings.secrets());
  }

  // --- bucket

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void requires_the_bucket_naming_s3_bucket(String blank) {
    assertEquals(
        "s3-bucket is required (set it in the action's with: block, or pass --s3-bucket)",
        failure(withBucket(blank)));
  }

  @Test
  void requires_the_bucket_when_it_is_null() {
    assertTrue(failure(withBucket(null)).startsWith("s3-bucket is required"));
  }

  @Test
  void strips_spaces_around_the_bucket() {
    assertEquals("my-backups", settings(withBucket("  my-backups ")).bucket());
  }

  @ParameterizedTest
  @ValueSource(strings = {"my.backups", "my_backups", "backups-2026", "ab"})
  void accepts_bare_bucket_names(String bucket) {
    assertEquals(bucket, settings(withBucket(bucket)).bucket());
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://x", "s3://my-backups", "my-backups/neon", "-backups", "my backups", "x"})
  void refuses_a_bucket_that_is_not_a_bare_name_naming_s3_bucket(String bucket) {
    String message = failure(withBucket(bucket));
    assertTrue(message.startsWith("s3-bucket must be a bare bucket name"), message);
    assertTrue(message.contains("'" + bucket + "'"), message);
  }

  // --- prefix

  @ParameterizedTest
  @CsvSource(
      delimiterString = "->",
      value = {
        "backups -> backups/",
        "backups/ -> backups/",
        "/ -> ''",
        "// -> ''",
        "/a/b -> a/b/",
        "a/b/ -> a/b/",
        "///a -> a/",
        "'  team/db  ' -> team/db/",
        "neon-backups/ -> neon-backups/"
      })
  void normalises_the_prefix(String given, String expected) {
    assertEquals(expected, settings(withPrefix(given)).prefix());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void defaults_a_blank_prefix_to_neon_backups(String blank) {
    assertEquals("neon-backups/", settings(withPrefix(blank)).prefix());
  }

  @Test
  void defaults_an_unset_prefix_to_neon_backups() {
    assertEquals("neon-backups/", StorageSettings.normalizePrefix(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a//b", "a//", "/a//b/", "a/b//c"})
  void refuses_a_prefix_with_a_double_slash_naming_s3_prefix(String prefix) {
    assertEquals("s3-prefix must not contain '//' (got '" + prefix + "')", failure(withPrefix(prefix)));
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "./", "..", "../x", "a/./b", "a/../b", "a/..", "/./a", "a/b/."})
  void refuses_a_prefix_with_a_dot_segment_naming_s3_prefix(String prefix) {
    assertEquals(
        "s3-prefix must not have a '.' or '..' segment, which S3 tools and browsers resolve as a"
            + " folder step (got '" + prefix + "')",
        failure(withPrefix(prefix)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"...", "a/.b/", "a./b", "v1.2/", ".hidden/x"})
  void keeps_dots_inside_a_segment(String prefix) {
    assertTrue(settings(withPrefix(prefix)).prefix().startsWith(prefix.replaceAll("/$", "")));
  }

  // --- region

  @Test
  void takes_the_region_input_first() {
    Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-west-2");
    assertEquals("ap-south-1", withRegion("ap-south-1").build(env).region());
  }

  @Test
  void takes_aws_region_when_the_input_is_unset() {
    Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-west-2");
    assertEquals("eu-west-1", withRegion(null).build(env).region());
    assertEquals("eu-west-1", withRegion(" ").build(env).region());
  }

  @Test
  void takes_aws_default_region_when_aws_region_is_unset_or_blank() {
    assertEquals(
        "eu-west-2",
        withRegion(null).build(Map.of("AWS_DEFAULT_REGION", "eu-west-2")).region());
    assertEquals(
        "eu-west-2",
        withRegion(null)
            .build(Map.of("AWS_REGION", "", "AWS_DEFAULT_REGION", "eu-west-2"))
            .region());
  }

  @Test
  void falls_back_to_us_east_1() {
    assertEquals("us-east-1", withRegion(null).build(Map.of()).region());
    assertEquals(
        "us-east-1",
        withRegion("").build(Map.of("AWS_REGION", " ", "AWS_DEFAULT_REGION", "")).region());
  }

  @Test
  void strips_spaces_around_the_region() {
    assertEquals("eu-central-1", settings(withRegion(" eu-central-1 ")).region());
  }

  // --- endpoint

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:9000",
        "https://abc123.r2.cloudflarestorage.com",
        "http://127.0.0.1:9000/",
        "https://s3.eu-central-003.backblazeb2.com"
      })
  void accepts_an_http_or_https_endpoint_with_a_host(String endpoint) {
    StorageSettings settings = settings(bucketOnly().endpoint(StorageSettings.parseEndpoint(endpoint)));
    assertEquals(Optional.of(URI.create(endpoint)), settings.endpoint());
  }

  @Test
  void turns_checksums_off_under_auto_for_a_custom_endpoint() {
    assertFalse(
        settings(bucketOnly().endpoint(URI.create("http://localhost:9000"))).checksumsEnabled());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:9000",
        "ftp://example.com",
        "s3://my-backups",
        "https://",
        "http:///path",
        "example.com",
        "http://exa mple.com"
      })
  void refuses_an_endpoint_that_is_not_an_http_url_with_a_host_naming_s3_endpoint(String endpoint) {
    String message = failure(() -> StorageSettings.parseEndpoint(endpoint));
    assertTrue(message.startsWith("s3-endpoint must be an http:// or https:// URL"), message);
    assertTrue(message.endsWith("(got '" + endpoint + "')"), message);
  }

  @Test
  void treats_an_unset_endpoint_as_aws() {
    assertEquals(Optional.empty(), settings(bucketOnly().endpoint(null)).endpoint());
  }

  // --- force path style (its text: ConvertersTest)

  @Test
  void takes_force_path_style_as_given_and_false_when_unset() {
    assertTrue(settings(bucketOnly().forcePathStyle(true)).forcePathStyle());
    assertFalse(settings(bucketOnly().forcePathStyle(false)).forcePathStyle());
    assertFalse(settings(bucketOnly().forcePathStyle(null)).forcePathStyle());
  }

  // --- credentials

  @Test
  void keeps_static_credentials_with_the_secrets_as_secrets() {
    StorageSettings settings = settings(withCredentials("AKIAEXAMPLE", SECRET_KEY, SESSION_TOKEN));
    StaticCredentials credentials = settings.credentials().orElseThrow();
    assertEquals("AKIAEXAMPLE", credentials.accessKeyId());
    assertEquals(SECRET_KEY, credentials.secretAccessKey().reveal());
    assertEquals(SESSION_TOKEN, credentials.sessionToken().orElseThrow().reveal());
  }

  @Test
  void allows_credentials_without_a_session_token() {
    StaticCredentials credentials =
        settings(withCredentials("AKIAEXAMPLE", SECRET_KEY, " ")).credentials().orElseThrow();
    assertEquals(Optional.empty(), credentials.sessionToken());
  }

  @Test
  void lists_the_secret_key_and_the_session_token_as_secrets() {
    StorageSettings settings = settings(withCredentials("AKIAEXAMPLE", SECRET_KEY, SESSION_TOKEN));
    assertEquals(List.of(Secret.of(SECRET_KEY), Secret.of(SESSION_TOKEN)), settings.secrets());
  }

  @Test
  void lists_only_the_secret_key_when_there_is_no_token() {
    StorageSettings settings = settings(withCredentials("AKIAEXAMPLE", SECRET_KEY, null));
    assertEquals(List.of(Secret.of(SECRET_KEY)), settings.secrets());
  }

  @Test
  void refuses_a_key_id_without_a_secret_naming_both_inputs() {
    String message = failure(withCredentials("AKIAEXAMPLE", null, null));
    assertTrue(message.contains("aws-access-key-id"), message);
    assertTrue(message.contains("aws-secret-access-key"), message);
  }

  @Test
  void refuses_a_secret_without_a_key_id_naming_both_inputs_and_not_showing_the_secret() {
    String message = failure(withCredentials(" ", SECRET_KEY, null));
    assertTrue(message.contains("aws-access-key-id"), message);
    assertTrue(message.contains("aws-secret-access-key"), message);
    assertFalse(message.contains(SECRET_KEY), message);
  }

  @Test
  void refuses_a_session_token_alone_naming_it_and_not_showing_it() {
    String message = failure(withCredentials(null, null, SESSION_TOKEN));
    assertEquals("aws-session-token needs aws-access-key-id and aws-secret-access-key", message);
  }

  @Test
  void never_shows_the_secret_key_or_token_in_to_string() {
    StorageSettings settings = settings(withCredentials("AKIAEXAMPLE", SECRET_KEY, SESSION_TOKEN));
    String credentials = settings.credentials().orElseThrow().toString();
    assertEquals("StaticCredentials[accessKeyId=AKIAEXAMPLE, secret=***]", credentials);
    assertFalse(settings.toString().contains(SECRET_KEY), settings.toString());
    assertFalse(settings.toString().contains(SESSION_TOKEN), settings.toString());
  }

  // --- checksum (its text: ConvertersTest)

  @Test
  void reads_the_checksum_mode() {
    assertEquals(
        ChecksumMode.WHEN_REQUIRED,
        settings(bucketOnly().checksum(ChecksumMode.WHEN_REQUIRED)).checksumMode());
    assertEquals(ChecksumMode.AUTO, settings(bucketOnly().checksum(null)).checksumMode());
  }

  @Test
  void object_lock_turns_auto_checksums_on_even_with_an_endpoint() {
    ServerSide locked = ServerSide.of(null, null, null, null, "GOVERNANCE", "30");
    StorageSettings settings =
        bucketOnly()
            .endpoint(URI.create("https://minio.example.com"))
            .serverSide(locked)
            .build(Map.of());
    assertEquals(ChecksumMode.ON, settings.checksumMode());
    assertTrue(settings.checksumsEnabled());
  }

  @Test
  void object_lock_refuses_when_required_checksums_naming_both_inputs() {
    ServerSide locked = ServerSide.of(null, null, null, null, "COMPLIANCE", "1");
    InputException e =
        assertThrows(
            InputException.class,
            () -> bucketOnly().checksum(ChecksumMode.WHEN_REQUIRED).serverSide(locked).build(Map.of()));
    assertTrue(e.getMessage().contains("s3-checksum") && e.getMessage().contains("s3-object-lock-mode"), e.getMessage());
  }
}
