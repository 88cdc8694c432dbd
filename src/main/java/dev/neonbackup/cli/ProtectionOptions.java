package dev.neonbackup.cli;

import dev.neonbackup.store.ServerSide;
import picocli.CommandLine.Option;

/**
 * How S3 keeps what a backup writes: server-side encryption, the archives' storage class, tags and
 * an Object Lock retention period. Read as text and checked together by {@link ServerSide#of}, so
 * that an error names the input.
 */
public final class ProtectionOptions {
  @Option(
      names = "--s3-sse",
      paramLabel = "ALGORITHM",
      description = "Server-side encryption: AES256, aws:kms or aws:kms:dsse (default: the bucket's).")
  String sse;

  @Option(
      names = "--s3-kms-key-id",
      paramLabel = "KEY",
      description = "KMS key id, key ARN or alias for aws:kms / aws:kms:dsse (alone, it means aws:kms).")
  String kmsKeyId;

  @Option(
      names = "--s3-storage-class",
      paramLabel = "CLASS",
      description = "Storage class of the archives (STANDARD, STANDARD_IA, GLACIER_IR, ...); manifests stay STANDARD.")
  String storageClass;

  @Option(
      names = "--s3-tags",
      paramLabel = "TAGS",
      description = "Tags for every object written, as key=value pairs separated by commas.")
  String tags;

  @Option(
      names = "--s3-object-lock-mode",
      paramLabel = "MODE",
      description = "Object Lock retention mode for every object written: GOVERNANCE or COMPLIANCE.")
  String lockMode;

  @Option(
      names = "--s3-object-lock-days",
      paramLabel = "DAYS",
      description = "Days each object written stays locked (with s3-object-lock-mode).")
  String lockDays;

  ServerSide serverSide() {
    return ServerSide.of(sse, kmsKeyId, storageClass, tags, lockMode, lockDays);
  }
}
