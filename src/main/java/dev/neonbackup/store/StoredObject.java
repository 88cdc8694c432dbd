package dev.neonbackup.store;

import java.util.Optional;

/**
 * An object in the bucket: its key and size; its storage class when the listing says (S3 leaves it
 * out for STANDARD on some stores); its version id when it was found among a versioned bucket's
 * versions (a version that a delete marker hides).
 */
public record StoredObject(String key, long size, Optional<String> storageClass, Optional<String> versionId) {
  public StoredObject(String key, long size) {
    this(key, size, Optional.empty(), Optional.empty());
  }

  /** Whether reading it needs a thaw first (GLACIER, DEEP_ARCHIVE). */
  public boolean needsThaw() {
    return ServerSide.needsThaw(storageClass.orElse(null));
  }
}
