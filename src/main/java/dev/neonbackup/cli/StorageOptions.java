package dev.neonbackup.cli;

import dev.neonbackup.store.StorageInputs;
import picocli.CommandLine.Option;

/** The S3 inputs, shared by backup, list and restore. Raw strings: validation names the input. */
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
      description = "Endpoint of an S3-compatible store (MinIO, Cloudflare R2, ...).")
  String endpoint;

  @Option(
      names = "--s3-force-path-style",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Path-style addressing (bucket in the path), for MinIO and the like.")
  String forcePathStyle;

  @Option(names = "--aws-access-key-id", paramLabel = "ID", description = "Access key id (default: the AWS credentials chain).")
  String accessKeyId;

  @Option(names = "--aws-secret-access-key", paramLabel = "SECRET", description = "Secret access key.")
  String secretAccessKey;

  @Option(names = "--aws-session-token", paramLabel = "TOKEN", description = "Session token, for temporary credentials.")
  String sessionToken;

  @Option(
      names = "--s3-checksum",
      paramLabel = "MODE",
      description = "auto (default), on or when-required: whether parts carry a CRC32 for S3 to check.")
  String checksum;

  StorageInputs inputs() {
    return new StorageInputs(
        bucket,
        prefix,
        region,
        endpoint,
        forcePathStyle,
        accessKeyId,
        secretAccessKey,
        sessionToken,
        checksum);
  }
}
