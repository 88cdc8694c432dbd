package dev.neonbackup.store.s3;

import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.PendingUpload;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The unfinished multipart uploads to one key, oldest first. */
final class PendingUploads {
  private PendingUploads() {}

  static List<PendingUpload> of(S3Client s3, ObjectLocation location) {
    String key = location.key();
    List<MultipartUpload> uploads;
    try {
      uploads =
          s3.listMultipartUploads(
                  ListMultipartUploadsRequest.builder().bucket(location.bucket()).prefix(key).build())
              .uploads();
    } catch (S3Exception e) {
      if (e.statusCode() == 403 || e.statusCode() == 501) {
        return List.of(); // not allowed or not supported: If-None-Match alone guards
      }
      throw failed(location, e);
    } catch (SdkException e) {
      throw failed(location, e);
    }
    return uploads.stream()
        .filter(u -> u.key().equals(key))
        .map(u -> new PendingUpload(u.uploadId(), u.initiated() == null ? Instant.EPOCH : u.initiated()))
        .sorted(Comparator.comparing(PendingUpload::initiated).thenComparing(PendingUpload::id))
        .toList();
  }

  private static RuntimeException failed(ObjectLocation location, SdkException e) {
    return StorageErrors.explain("list uploads to " + location.url(), location.bucket(), e);
  }
}
