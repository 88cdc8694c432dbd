package dev.neonbackup.cli;

import dev.neonbackup.report.Secret;
import dev.neonbackup.store.ChecksumMode;
import dev.neonbackup.store.ServerSide;
import dev.neonbackup.store.StorageSettings;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * The S3 inputs, shared by backup, list and restore. Converted as they are read; what needs several
 * of them (the bucket's name, the prefix, the credentials) is checked by {@link
 * StorageSettings.Builder#build}.
 */
public final class StorageOptions {
  @Option(names = "--s3-bucket", paramLabel = "NAME", description = "Bucket to store backups in (required).")
  String bucket;

  @Option(names = "--s3-prefix", paramLabel = "PREFIX", description = "Key prefix (default: neon-backups/).")
  String prefix;

  @Option(
      names = "--aws-region",
      paramLabel = "REGION",
      description = "Region (default: AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1).")
  String region;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      converter = Converters.Endpoint.class,
      description = "Endpoint of an S3-compatible store (MinIO, Cloudflare R2, ...).")
  URI endpoint;

  // type = String: picocli would take only true or false after a Boolean flag, and refuse any other
  // word as an unknown argument instead of letting the converter name the input.
  @Option(
      names = "--s3-force-path-style",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      type = String.class,
      converter = Converters.ForcePathStyle.class,
      description = "Path-style addressing (bucket in the path), for MinIO and the like.")
  Boolean forcePathStyle;

  @Option(names = "--aws-access-key-id", paramLabel = "ID", description = "Access key id (default: the AWS credentials chain).")
  String accessKeyId;

  @Option(
      names = "--aws-secret-access-key",
      paramLabel = "SECRET",
      converter = Converters.SecretText.class,
      description = "Secret access key.")
  Secret secretAccessKey;

  @Option(
      names = "--aws-session-token",
      paramLabel = "TOKEN",
      converter = Converters.SecretText.class,
      description = "Session token, for temporary credentials.")
  Secret sessionToken;

  @Option(
      names = "--s3-checksum",
      paramLabel = "MODE",
      converter = Converters.Checksum.class,
      description = "auto (default), on or when-required: whether parts carry a CRC32 for S3 to check.")
  ChecksumMode checksum;

  @Option(
      names = "--aws-role-arn",
      paramLabel = "ARN",
      description = "IAM role to assume with the runner's GitHub OIDC token, refreshed for as long as the run lasts (needs id-token: write).")
  String roleArn;

  @Option(
      names = "--aws-role-session-name",
      paramLabel = "NAME",
      description = "Session name for aws-role-arn (default: neon-backup-action-<GITHUB_RUN_ID>).")
  String roleSessionName;

  @Option(
      names = "--aws-role-duration-seconds",
      paramLabel = "SECONDS",
      description = "Lifetime of each aws-role-arn session, 900 to 43200 (default: STS's, one hour).")
  String roleDurationSeconds;

  /**
   * The context's environment supplies AWS_REGION / AWS_DEFAULT_REGION when aws-region is not
   * given, and the runner's token variables for aws-role-arn; the secrets an assumed role's
   * session obtains later are masked and redacted by the context's console as they arrive.
   */
  StorageSettings settings(RunContext context) {
    return settings(context, ServerSide.NONE);
  }

  /** The same, for a run that writes: {@code serverSide} says how S3 keeps what it writes. */
  StorageSettings settings(RunContext context, ServerSide serverSide) {
    return StorageSettings.builder()
        .serverSide(serverSide)
        .bucket(bucket)
        .prefix(prefix)
        .region(region)
        .endpoint(endpoint)
        .forcePathStyle(forcePathStyle)
        .accessKeyId(accessKeyId)
        .secretAccessKey(secretAccessKey)
        .sessionToken(sessionToken)
        .checksum(checksum)
        .roleArn(roleArn)
        .roleSessionName(roleSessionName)
        .roleDurationSeconds(roleDurationSeconds)
        .protectWith(context.console()::protectAlso)
        .build(context.environment());
  }
}
