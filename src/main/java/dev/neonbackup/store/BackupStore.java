package dev.neonbackup.store;

import java.util.List;
import java.util.Optional;

/**
 * The bucket, as the use cases see it: the only way they reach storage. One adapter talks to S3
 * (store/s3); tests use an in-memory one that can inject failures. Every method that fails throws
 * a {@link dev.neonbackup.failure.StorageException} whose message says what was being done and
 * why it failed, in words a user can act on.
 */
public interface BackupStore extends AutoCloseable {
  /** The bucket's name, for messages and URLs. */
  String bucket();

  default ObjectLocation at(String key) {
    return new ObjectLocation(bucket(), key);
  }

  /**
   * Whether an object is at {@code key}. A store that forbids looking answers false: publishing
   * refuses to replace an object anyway.
   */
  boolean exists(String key);

  /** Starts an upload to {@code key}; nothing is visible there until it completes. */
  Upload startUpload(String key);

  /**
   * The unfinished uploads to exactly {@code key}, in the order the store started them; empty
   * when the store does not tell (not allowed or not supported).
   */
  List<PendingUpload> pendingUploads(String key);

  /**
   * Stores {@code content} at {@code key} unless another object is there. True when it is stored,
   * now or by an earlier attempt whose answer was lost (the same bytes are there); false when a
   * different object holds the key.
   */
  boolean putIfAbsent(String key, byte[] content, String contentType);

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<StoredObject> list(String prefix);

  /** The whole object, or empty when there is none at {@code key}. */
  Optional<byte[]> read(String key);

  /** Up to {@code length} bytes from the start of the object. */
  byte[] readHead(String key, int length);

  /** The object's size, or empty when there is none at {@code key}. */
  Optional<Long> size(String key);

  /** Streams the object. */
  ObjectStream open(String key);

  /**
   * Streams one range of the object, in one request that the store does not retry itself: the
   * caller retries a range on its own. A failure that another attempt may get past (a 5xx answer,
   * a dropped connection) is a {@link dev.neonbackup.failure.StorageException#retryable()} one;
   * reading the stream can also fail, or end before {@code range.length()} bytes.
   */
  ObjectStream openRange(String key, ByteRange range);

  /**
   * Deletes these objects, for good. In a versioned bucket that means each version by its id, never
   * a delete marker; a version under an Object Lock retention date is not even tried. Says per key
   * what happened: a key S3 refused to delete is kept, not a failure. Throws only when the store
   * could not be asked at all.
   */
  Deletion delete(List<String> keys);

  /**
   * The objects under {@code prefix} that a delete marker hides (a plain delete in a versioned
   * bucket): the newest version of each, with its version id. Empty for a store without versions.
   */
  default List<StoredObject> hidden(String prefix) {
    return List.of();
  }

  /**
   * This store, but reading the given keys at the given version ids (for a backup that a delete
   * marker hides). A store without versions has no other version to read.
   */
  default BackupStore pinned(java.util.Map<String, String> versionsByKey) {
    if (versionsByKey.isEmpty()) {
      return this;
    }
    throw new dev.neonbackup.failure.StorageException(
        "the store keeps no object versions, so there is no version " + versionsByKey.values() + " to read",
        null);
  }

  /**
   * The storage class of the object at {@code key}, and whether a thaw of it (S3 RestoreObject) is
   * done; empty when the store does not say.
   */
  default java.util.Optional<Thaw> thaw(String key) {
    return java.util.Optional.empty();
  }

  /** An archived object's state: its class, and whether a thawed copy can be read now. */
  record Thaw(String storageClass, boolean readable, String state) {}

  @Override
  void close();
}
