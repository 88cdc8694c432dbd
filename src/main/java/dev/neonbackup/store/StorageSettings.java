package dev.neonbackup.store;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import dev.neonbackup.report.Secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** Where backups are stored and how to reach the store. Validated; immutable. */
public record StorageSettings(
    String bucket,
    String prefix,
    String region,
    Optional<URI> endpoint,
    boolean forcePathStyle,
    Optional<StaticCredentials> credentials,
    ChecksumMode checksumMode,
    ServerSide serverSide,
    Optional<WebIdentityRole> role) {

  public static final String DEFAULT_PREFIX = "neon-backups/";
  public static final String DEFAULT_REGION = "us-east-1";
  public static final String ENDPOINT_INPUT = "s3-endpoint";

  /** Keys given as inputs; when absent, the SDK's default chain (AWS_* variables, OIDC, ...). */
  public record StaticCredentials(
      String accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken) {
    @Override
    public String toString() {
      return "StaticCredentials[accessKeyId=" + accessKeyId + ", secret=***]";
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The S3 inputs, typed as the command line converted them (null: not given); {@link #build}
   * validates what is left to check and applies the defaults.
   */
  public static final class Builder {
    private String bucket;
    private String prefix;
    private String region;
    private URI endpoint;
    private Boolean forcePathStyle;
    private String accessKeyId;
    private Secret secretAccessKey;
    private Secret sessionToken;
    private ChecksumMode checksum;
    private ServerSide serverSide = ServerSide.NONE;
    private String roleArn;
    private String roleSessionName;
    private String roleDurationSeconds;
    private Consumer<Secret> protect;

    private Builder() {}

    /** How S3 keeps what a backup writes; {@link ServerSide#NONE} unless given. */
    public Builder serverSide(ServerSide value) {
      serverSide = Objects.requireNonNull(value);
      return this;
    }

    public Builder bucket(String value) {
      bucket = value;
      return this;
    }

    public Builder prefix(String value) {
      prefix = value;
      return this;
    }

    public Builder region(String value) {
      region = value;
      return this;
    }

    public Builder endpoint(URI value) {
      endpoint = value;
      return this;
    }

    public Builder forcePathStyle(Boolean value) {
      forcePathStyle = value;
      return this;
    }

    public Builder accessKeyId(String value) {
      accessKeyId = value;
      return this;
    }

    public Builder secretAccessKey(Secret value) {
      secretAccessKey = value;
      return this;
    }

    public Builder sessionToken(Secret value) {
      sessionToken = value;
      return this;
    }

    public Builder checksum(ChecksumMode value) {
      checksum = value;
      return this;
    }

    public Builder roleArn(String value) {
      roleArn = value;
      return this;
    }

    public Builder roleSessionName(String value) {
      roleSessionName = value;
      return this;
    }

    public Builder roleDurationSeconds(String value) {
      roleDurationSeconds = value;
      return this;
    }

    /** Told of each secret an assumed role's session obtains while the run goes on. */
    public Builder protectWith(Consumer<Secret> value) {
      protect = value;
      return this;
    }

    /**
     * {@code environment} supplies AWS_REGION / AWS_DEFAULT_REGION when aws-region is not given,
     * and the runner's ACTIONS_ID_TOKEN_REQUEST_* variables for aws-role-arn.
     */
    public StorageSettings build(Map<String, String> environment) {
      String bucketName = Inputs.required(bucket, "s3-bucket");
      if (!bucketName.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,254}")) {
        throw new InputException(
            "s3-bucket must be a bare bucket name such as my-backups, without s3:// or a path (got '"
                + bucketName
                + "')");
      }
      Optional<StaticCredentials> credentials = credentials();
      Optional<WebIdentityRole> role =
          WebIdentityRole.from(roleArn, roleSessionName, roleDurationSeconds, environment, protect);
      if (role.isPresent() && credentials.isPresent()) {
        throw new InputException(
            "aws-role-arn and aws-access-key-id exclude each other: give the role to assume, or"
                + " static keys, not both");
      }
      return new StorageSettings(
          bucketName,
          normalizePrefix(prefix),
          resolveRegion(environment),
          Optional.ofNullable(endpoint),
          Boolean.TRUE.equals(forcePathStyle),
          credentials,
          checksumWithLock(),
          serverSide,
          role);
    }

    /**
     * S3 wants a checksum on every part of an object written with an Object Lock retention date:
     * {@code auto} resolves to {@code on} then, even with an endpoint, and {@code when-required}
     * is refused.
     */
    private ChecksumMode checksumWithLock() {
      ChecksumMode mode = Objects.requireNonNullElse(checksum, ChecksumMode.AUTO);
      if (serverSide.objectLock().isEmpty()) {
        return mode;
      }
      if (mode == ChecksumMode.WHEN_REQUIRED) {
        throw new InputException(
            ChecksumMode.INPUT + ": when-required cannot go with " + ServerSide.LOCK_MODE_INPUT
                + ": S3 requires a checksum on every part of an object written with Object Lock;"
                + " use on or auto, or a store that takes checksums");
      }
      return ChecksumMode.ON;
    }

    private String resolveRegion(Map<String, String> environment) {
      return Inputs.optional(region)
          .or(() -> Inputs.optional(environment.get("AWS_REGION")))
          .or(() -> Inputs.optional(environment.get("AWS_DEFAULT_REGION")))
          .orElse(DEFAULT_REGION);
    }

    private Optional<StaticCredentials> credentials() {
      Optional<String> keyId = Inputs.optional(accessKeyId);
      Optional<Secret> secret = Optional.ofNullable(secretAccessKey);
      Optional<Secret> token = Optional.ofNullable(sessionToken);
      if (keyId.isPresent() != secret.isPresent()) {
        throw new InputException(
            "aws-access-key-id and aws-secret-access-key go together: give both, or neither to use"
                + " the default AWS credentials (e.g. from aws-actions/configure-aws-credentials)");
      }
      if (token.isPresent() && keyId.isEmpty()) {
        throw new InputException(
            "aws-session-token needs aws-access-key-id and aws-secret-access-key");
      }
      return keyId.map(id -> new StaticCredentials(id, secret.get(), token));
    }
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
    if (java.util.Arrays.stream(value.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
      throw new InputException(
          "s3-prefix must not have a '.' or '..' segment, which S3 tools and browsers resolve as a"
              + " folder step (got '" + given.strip() + "')");
    }
    return value;
  }

  /** The {@code s3-endpoint} input: an http:// or https:// URL with a host. */
  public static URI parseEndpoint(String text) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(text, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InputException(
          ENDPOINT_INPUT
              + " must be an http:// or https:// URL such as https://<account>.r2.cloudflarestorage.com (got '"
              + text
              + "')");
    }
  }

  public boolean checksumsEnabled() {
    return checksumMode.enabled(endpoint.isPresent());
  }

  /** Everything here that must never be printed. */
  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>();
    credentials.ifPresent(
        c -> {
          secrets.add(c.secretAccessKey());
          c.sessionToken().ifPresent(secrets::add);
        });
    role.ifPresent(r -> secrets.add(r.requestToken()));
    return secrets;
  }
}
