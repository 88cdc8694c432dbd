package dev.neonbackup.store.s3;

import dev.neonbackup.store.BackupStore.Thaw;
import dev.neonbackup.store.ServerSide;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Reads an archived object's state from HeadObject: its storage class (GLACIER, DEEP_ARCHIVE), or
 * {@code x-amz-archive-status} for an object INTELLIGENT_TIERING moved to an archive tier; and S3's
 * {@code x-amz-restore} header, {@code ongoing-request="true"} while a thaw runs,
 * {@code ongoing-request="false", expiry-date="..."} once a copy can be read.
 */
final class Thaws {
  private Thaws() {}

  static Optional<Thaw> of(HeadObjectResponse head) {
    String storageClass = head.storageClassAsString();
    String tier = head.archiveStatusAsString();
    if (tier != null) {
      storageClass = (storageClass == null ? "INTELLIGENT_TIERING" : storageClass) + " (" + tier + ")";
    } else if (!ServerSide.needsThaw(storageClass)) {
      return Optional.empty();
    }
    String restore = head.restore();
    if (restore == null) {
      return Optional.of(new Thaw(storageClass, false, "not thawed"));
    }
    if (restore.replace(" ", "").contains("ongoing-request=\"true\"")) {
      return Optional.of(new Thaw(storageClass, false, "thaw in progress"));
    }
    return Optional.of(new Thaw(storageClass, true, "thawed (" + restore.strip() + ")"));
  }
}
