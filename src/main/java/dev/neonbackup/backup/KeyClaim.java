package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;

import dev.neonbackup.store.s3.MultipartUploadStream;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.s3.PartSizes;
import dev.neonbackup.store.s3.StorageErrors;
import dev.neonbackup.failure.StorageException;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Opens the upload of a run at a key nobody else has: not an existing object, and not the key of
 * another run that started uploading first. Two runs for the same database in the same second both
 * see each other's multipart uploads; the one that started later (by S3's clock, then by upload id)
 * gives the key up and takes the next second. Publishing also sends If-None-Match, the last guard.
 */
final class KeyClaim {
  private static final int MAX_ATTEMPTS = 60;

  private KeyClaim() {}

  record Claimed(BackupKey key, MultipartUploadStream upload) {}

  static Claimed open(
      S3Client s3, String bucket, BackupKey first, PartSizes partSizes, boolean checksums) {
    BackupKey key = first;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, key = key.nextSecond()) {
      ObjectLocation location = new ObjectLocation(bucket, key.key());
      if (exists(s3, location)) {
        continue;
      }
      MultipartUploadStream upload =
          MultipartUploadStream.start(s3, location, partSizes, checksums);
      boolean lost;
      try {
        lost = startedAfterAnother(s3, location, upload.uploadId());
      } catch (RuntimeException e) {
        upload.abort();
        throw e;
      }
      if (!lost) {
        return new Claimed(key, upload);
      }
      upload.abort();
    }
    throw new StorageException("no free key within a minute of " + first.key(), null);
  }

  private static boolean exists(S3Client s3, ObjectLocation location) {
    try {
      s3.headObject(
          HeadObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || e.statusCode() == 403) {
        // 403: without s3:ListBucket a missing key looks forbidden; If-None-Match still guards.
        return false;
      }
      throw StorageErrors.explain("check " + location.url(), location.bucket(), e);
    } catch (SdkException e) {
      throw StorageErrors.explain("check " + location.url(), location.bucket(), e);
    }
  }

  /** Whether another unfinished upload to the same key began before ours. */
  private static boolean startedAfterAnother(S3Client s3, ObjectLocation location, String ours) {
    List<MultipartUpload> uploads;
    try {
      uploads =
          s3.listMultipartUploads(
                  ListMultipartUploadsRequest.builder()
                      .bucket(location.bucket())
                      .prefix(location.key())
                      .build())
              .uploads();
    } catch (S3Exception e) {
      if (e.statusCode() == 403 || e.statusCode() == 501) {
        return false; // not allowed or not supported: fall back on If-None-Match alone
      }
      throw StorageErrors.explain("list uploads to " + location.url(), location.bucket(), e);
    } catch (SdkException e) {
      throw StorageErrors.explain("list uploads to " + location.url(), location.bucket(), e);
    }
    // The upload that started first (by S3's clock, then by upload id) keeps the key; both runs
    // compute the same answer when each sees the other. A run that listed before the other's
    // upload existed keeps it without knowing; if the later one then wins the tie-break too, the
    // If-None-Match on completion makes it fail (exit 5) rather than overwrite.
    return uploads.stream()
        .filter(u -> u.key().equals(location.key()))
        .min(
            java.util.Comparator.comparing((MultipartUpload u) -> initiated(u))
                .thenComparing(MultipartUpload::uploadId))
        .map(first -> !first.uploadId().equals(ours))
        .orElse(false);
  }

  private static Instant initiated(MultipartUpload upload) {
    return upload.initiated() == null ? Instant.EPOCH : upload.initiated();
  }
}
