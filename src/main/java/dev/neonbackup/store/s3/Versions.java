package dev.neonbackup.store.s3;

import dev.neonbackup.store.Deletion;
import dev.neonbackup.store.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * A bucket's object versions: whether it keeps them, the versions that delete markers hide, and
 * deletes by version id. In a versioned bucket (every Object Lock bucket is one) a DeleteObject
 * without a version id only adds a delete marker: the object is hidden, its bytes kept and billed,
 * and nothing protects it. So this deletes each version by its id, and never tries one whose
 * Object Lock retain-until date is in the future or that is under a legal hold.
 */
final class Versions {
  enum Versioning {
    VERSIONED,
    UNVERSIONED,
    UNKNOWN
  }

  static final String UNKNOWN_VERSIONING =
      "not deleted: the credentials may not read whether the bucket keeps versions"
          + " (s3:GetBucketVersioning), and in a versioned bucket a plain delete only hides an object"
          + " behind a delete marker; allow s3:GetBucketVersioning";

  private final S3Client s3;
  private final String bucket;

  Versions(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * Deletes the keys for good: by version id in a versioned bucket ({@code knownVersioned} when the
   * run writes with Object Lock, which needs one), with multi-object deletes otherwise; keeps them
   * all when it cannot tell which.
   */
  Deletion delete(List<String> keys, boolean knownVersioned) {
    switch (knownVersioned ? Versioning.VERSIONED : versioning()) {
      case VERSIONED:
        return deleteAllVersions(keys, Instant.now());
      case UNKNOWN:
        return Deletion.allKept(keys, UNKNOWN_VERSIONING);
      default:
        return BatchDelete.run(s3, bucket, keys);
    }
  }

  /** Enabled or suspended both mean versions exist; a store without the API has none. */
  Versioning versioning() {
    try {
      BucketVersioningStatus status = s3.getBucketVersioning(r -> r.bucket(bucket)).status();
      return status == null ? Versioning.UNVERSIONED : Versioning.VERSIONED;
    } catch (S3Exception e) {
      if (e.statusCode() == 501 || "NotImplemented".equals(StorageErrors.code(e))) {
        return Versioning.UNVERSIONED;
      }
      if (e.statusCode() == 403) {
        return Versioning.UNKNOWN;
      }
      throw StorageErrors.explain("read whether s3://" + bucket + " keeps versions", bucket, e);
    } catch (SdkException e) {
      throw StorageErrors.explain("read whether s3://" + bucket + " keeps versions", bucket, e);
    }
  }

  /** The newest version of each key under {@code prefix} whose newest entry is a delete marker. */
  List<StoredObject> hidden(String prefix) {
    Map<String, ObjectVersion> newestVersion = new LinkedHashMap<>();
    Set<String> hiddenNow = new HashSet<>();
    try {
      for (ListObjectVersionsResponse page :
          s3.listObjectVersionsPaginator(ListObjectVersionsRequest.builder().bucket(bucket).prefix(prefix).build())) {
        for (ObjectVersion version : page.versions()) {
          // S3 lists each key's versions newest first, across pages too: the first is the newest,
          // even when two share the same second.
          newestVersion.putIfAbsent(version.key(), version);
        }
        for (DeleteMarkerEntry marker : page.deleteMarkers()) {
          if (Boolean.TRUE.equals(marker.isLatest())) {
            hiddenNow.add(marker.key());
          }
        }
      }
    } catch (S3Exception e) {
      if (e.statusCode() == 501 || "NotImplemented".equals(StorageErrors.code(e))) {
        return List.of();
      }
      if (e.statusCode() == 403) {
        throw new dev.neonbackup.failure.StorageException(
            "could not list the versions under s3://" + bucket + "/" + prefix
                + ": access denied (allow s3:ListBucketVersions to see what delete markers hide)",
            e);
      }
      throw StorageErrors.explain("list the versions under s3://" + bucket + "/" + prefix, bucket, e);
    } catch (SdkException e) {
      throw StorageErrors.explain("list the versions under s3://" + bucket + "/" + prefix, bucket, e);
    }
    List<StoredObject> hidden = new ArrayList<>();
    newestVersion.forEach((key, version) -> {
      if (hiddenNow.contains(key)) {
        hidden.add(
            new StoredObject(
                key, version.size(), Optional.ofNullable(version.storageClassAsString()), Optional.of(version.versionId())));
      }
    });
    hidden.sort(java.util.Comparator.comparing(StoredObject::key));
    return hidden;
  }

  /** Deletes every version of each key by its id; see the class comment. */
  Deletion deleteAllVersions(List<String> keys, Instant now) {
    Deletion outcome = Deletion.allDeleted(List.of());
    for (String key : keys) {
      outcome = outcome.and(deleteVersionsOf(key, now));
    }
    return outcome;
  }

  private Deletion deleteVersionsOf(String key, Instant now) {
    List<String> versions = new ArrayList<>();
    try {
      s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(key)).versions().stream()
          .filter(v -> v.key().equals(key))
          .forEach(v -> versions.add(v.versionId()));
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        return Deletion.allKept(
            List.of(key),
            "not deleted: the credentials may not list its versions (s3:ListBucketVersions), and in a"
                + " versioned bucket only a delete by version id removes it");
      }
      throw StorageErrors.explain("list the versions of s3://" + bucket + "/" + key, bucket, e);
    } catch (SdkException e) {
      throw StorageErrors.explain("list the versions of s3://" + bucket + "/" + key, bucket, e);
    }
    if (versions.isEmpty()) {
      return Deletion.allKept(List.of(key), "not deleted: S3 listed no version of it");
    }
    List<String> reasons = new ArrayList<>();
    for (String version : versions) {
      Optional<String> kept = lockOf(key, version, now);
      if (kept.isEmpty()) {
        kept = deleteVersion(key, version);
      }
      kept.ifPresent(reasons::add);
    }
    return reasons.isEmpty()
        ? Deletion.allDeleted(List.of(key))
        : Deletion.allKept(List.of(key), String.join("; ", reasons));
  }

  /** Why this version must not be deleted now, if it is locked; empty when it may be tried. */
  private Optional<String> lockOf(String key, String version, Instant now) {
    HeadObjectResponse head;
    try {
      head = s3.headObject(r -> r.bucket(bucket).key(key).versionId(version));
    } catch (SdkException e) {
      return Optional.empty(); // not allowed to read the lock: S3 refuses the delete if it holds
    }
    if (head.objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON) {
      return Optional.of("kept by a legal hold (version " + version + ")");
    }
    Instant until = head.objectLockRetainUntilDate();
    if (until != null && until.isAfter(now)) {
      return Optional.of(
          "kept by the lock (" + head.objectLockModeAsString() + ") until " + until + " (version " + version + ")");
    }
    return Optional.empty();
  }

  private Optional<String> deleteVersion(String key, String version) {
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key).versionId(version));
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        return Optional.of(BatchDelete.refused(StorageErrors.code(e), "version " + version));
      }
      throw StorageErrors.explain("delete version " + version + " of s3://" + bucket + "/" + key, bucket, e);
    } catch (SdkException e) {
      throw StorageErrors.explain("delete version " + version + " of s3://" + bucket + "/" + key, bucket, e);
    }
  }
}
