package dev.neonbackup.store.s3;

import dev.neonbackup.store.ServerSide;
import java.time.Instant;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Puts {@link ServerSide} on the requests that create objects: SSE (and its KMS key), tags and the
 * Object Lock retention on both; the storage class on archives (multipart uploads) only.
 */
final class ServerSideHeaders {
  private ServerSideHeaders() {}

  static void onArchive(CreateMultipartUploadRequest.Builder request, ServerSide side, Instant now) {
    side.encryption().ifPresent(e -> {
      request.serverSideEncryption(e.algorithm());
      e.kmsKeyId().ifPresent(request::ssekmsKeyId);
    });
    side.storageClass().ifPresent(request::storageClass);
    side.taggingHeader().ifPresent(request::tagging);
    side.objectLock().ifPresent(lock -> {
      request.objectLockMode(lock.mode().name());
      request.objectLockRetainUntilDate(lock.retainUntil(now));
    });
  }

  static void onSmallObject(PutObjectRequest.Builder request, ServerSide side, Instant now) {
    side.encryption().ifPresent(e -> {
      request.serverSideEncryption(e.algorithm());
      e.kmsKeyId().ifPresent(request::ssekmsKeyId);
    });
    side.taggingHeader().ifPresent(request::tagging);
    side.objectLock().ifPresent(lock -> {
      request.objectLockMode(lock.mode().name());
      request.objectLockRetainUntilDate(lock.retainUntil(now));
    });
  }
}
