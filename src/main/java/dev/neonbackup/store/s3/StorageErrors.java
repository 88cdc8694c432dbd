package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK exceptions into one sentence a user can act on. */
public final class StorageErrors {
  private StorageErrors() {}

  /** {@code action} says what was being done, e.g. "start the upload of s3://b/k". */
  public static StorageException explain(String action, String bucket, SdkException e) {
    return new StorageException("could not " + action + ": " + reason(bucket, e), e);
  }

  /** S3's error code, or null when the answer had none. */
  static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  static String reason(String bucket, SdkException e) {
    if (e instanceof S3Exception) {
      S3Exception s3 = (S3Exception) e;
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      int status = s3.statusCode();
      if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
        return "bucket '" + bucket + "' does not exist (check s3-bucket and aws-region)";
      }
      if ("InvalidAccessKeyId".equals(code)) {
        return "S3 does not know the access key id (check aws-access-key-id or the AWS_* credentials)";
      }
      if ("SignatureDoesNotMatch".equals(code)) {
        return "S3 rejected the request signature: the secret access key is wrong"
            + " (check aws-secret-access-key or the AWS_* credentials)";
      }
      if ("ExpiredToken".equals(code) || "InvalidToken".equals(code) || "TokenRefreshRequired".equals(code)) {
        return "the AWS session token is expired or invalid (check aws-session-token; a session from"
            + " aws-actions/configure-aws-credentials lasts an hour by default: aws-role-arn renews"
            + " its own for as long as the run lasts)";
      }
      if (code != null && code.startsWith("KMS.")) {
        return "S3 could not use the KMS key (" + code + "): check s3-kms-key-id (key id, key ARN or"
            + " alias, in the bucket's region) and that the credentials may use it (kms:GenerateDataKey,"
            + " kms:Decrypt)";
      }
      if ("InvalidObjectState".equals(code)) {
        return "the object is in an archive storage class (GLACIER, DEEP_ARCHIVE or an archive tier of"
            + " INTELLIGENT_TIERING) and must be thawed first: aws s3api restore-object, then retry";
      }
      if ("AccessDenied".equals(code) || status == 403) {
        return "access denied to bucket '"
            + bucket
            + "' (the credentials lack permission, or are wrong)";
      }
      return "S3 answered HTTP " + status + (code == null ? "" : " " + code);
    }
    if (e instanceof SdkClientException) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (message.contains("Unable to load credentials")) {
        return "no AWS credentials found: set aws-access-key-id and aws-secret-access-key, or"
            + " configure credentials (e.g. aws-actions/configure-aws-credentials) before this step";
      }
      return firstLine(message);
    }
    return firstLine(String.valueOf(e.getMessage()));
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
