package dev.neonbackup.store;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/** The raw S3 inputs, as given, and their validation into {@link StorageSettings}. */
public record StorageInputs(
    String bucket,
    String prefix,
    String region,
    String endpoint,
    String forcePathStyle,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    String checksum) {

  public static final String DEFAULT_PREFIX = "neon-backups/";
  public static final String DEFAULT_REGION = "us-east-1";

  /** {@code environment} supplies AWS_REGION / AWS_DEFAULT_REGION when aws-region is not given. */
  public StorageSettings toSettings(Map<String, String> environment) {
    String bucketName = Inputs.required(bucket, "s3-bucket");
    if (!bucketName.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,254}")) {
      throw new InputException(
          "s3-bucket must be a bare bucket name such as my-backups, without s3:// or a path (got '"
              + bucketName
              + "')");
    }
    return new StorageSettings(
        bucketName,
        normalizePrefix(prefix),
        resolveRegion(environment),
        parseEndpoint(),
        Inputs.bool(forcePathStyle, "s3-force-path-style", false),
        parseCredentials(),
        Inputs.optional(checksum).map(ChecksumMode::parse).orElse(ChecksumMode.AUTO));
  }

  /**
   * Unset means {@code neon-backups/}; a leading '/' is dropped and a missing trailing '/' added,
   * so {@code /} alone means the bucket's root.
   */
  static String normalizePrefix(String given) {
    if (given == null || given.isBlank()) {
      return DEFAULT_PREFIX;
    }
    String value = given.strip();
    while (value.startsWith("/")) {
      value = value.substring(1);
    }
    if (!value.isEmpty() && !value.endsWith("/")) {
      value = value + "/";
    }
    if (value.contains("//")) {
      throw new InputException("s3-prefix must not contain '//' (got '" + given.strip() + "')");
    }
    return value;
  }

  private String resolveRegion(Map<String, String> environment) {
    return Inputs.optional(region)
        .or(() -> Inputs.optional(environment.get("AWS_REGION")))
        .or(() -> Inputs.optional(environment.get("AWS_DEFAULT_REGION")))
        .orElse(DEFAULT_REGION);
  }

  private Optional<URI> parseEndpoint() {
    Optional<String> given = Inputs.optional(endpoint);
    if (given.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(given.get());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(given.get(), "not an http(s) URL with a host");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new InputException(
          "s3-endpoint must be an http:// or https:// URL such as https://<account>.r2.cloudflarestorage.com (got '"
              + given.get()
              + "')");
    }
  }

  private Optional<StorageSettings.StaticCredentials> parseCredentials() {
    Optional<String> keyId = Inputs.optional(accessKeyId);
    Optional<String> secret = Inputs.optional(secretAccessKey);
    Optional<String> token = Inputs.optional(sessionToken);
    if (keyId.isPresent() != secret.isPresent()) {
      throw new InputException(
          "aws-access-key-id and aws-secret-access-key go together: give both, or neither to use"
              + " the default AWS credentials (e.g. from aws-actions/configure-aws-credentials)");
    }
    if (token.isPresent() && keyId.isEmpty()) {
      throw new InputException(
          "aws-session-token needs aws-access-key-id and aws-secret-access-key");
    }
    return keyId.map(
        id ->
            new StorageSettings.StaticCredentials(
                id, Secret.of(secret.get()), token.map(Secret::of)));
  }
}
