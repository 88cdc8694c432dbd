package dev.neonbackup.store.s3;

import dev.neonbackup.store.ObjectLocation;
import java.util.Arrays;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every write that publishes sends If-None-Match: *, so nothing ever replaces an object. S3 then
 * answers 412 both when another run's object is at the key and when our own earlier attempt stored
 * it but its answer was lost and the SDK retried. This is the one place that tells them apart.
 */
final class IfNoneMatch {
  private IfNoneMatch() {}

  /** Whether S3 refused the write because an object is at the key. */
  static boolean refused(SdkException e) {
    return e instanceof S3Exception && ((S3Exception) e).statusCode() == 412;
  }

  /** After a refused put: whether the object at the key holds exactly our bytes. */
  static boolean holdsSameBytes(S3BackupStore store, String key, byte[] ours) {
    return store.read(key).map(stored -> Arrays.equals(stored, ours)).orElse(false);
  }

  /**
   * After a refused completion: whether the object at the key is this multipart upload. A
   * multipart object's ETag ends with its part count; with the size, that tells it apart.
   */
  static boolean holdsSameUpload(S3Client s3, ObjectLocation location, long size, int parts) {
    try {
      HeadObjectResponse head =
          s3.headObject(
              HeadObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
      String eTag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
      return head.contentLength() == size && eTag.endsWith("-" + parts);
    } catch (SdkException e) {
      return false;
    }
  }
}
