package dev.neonbackup.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.store.BackupStore.Thaw;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class ThawsTest {
  private static Optional<Thaw> of(String storageClass, String restore, String archiveStatus) {
    return Thaws.of(
        HeadObjectResponse.builder().storageClass(storageClass).restore(restore).archiveStatus(archiveStatus).build());
  }

  @Test
  void standard_classes_need_no_thaw() {
    assertEquals(Optional.empty(), of(null, null, null));
    assertEquals(Optional.empty(), of("GLACIER_IR", null, null));
    assertEquals(Optional.empty(), of("INTELLIGENT_TIERING", null, null));
  }

  @Test
  void glacier_before_during_and_after_a_thaw() {
    assertFalse(of("GLACIER", null, null).get().readable());
    Thaw running = of("DEEP_ARCHIVE", "ongoing-request=\"true\"", null).get();
    assertFalse(running.readable());
    assertEquals("thaw in progress", running.state());
    assertTrue(of("GLACIER", "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"", null).get().readable());
  }

  @Test
  void an_intelligent_tiering_archive_tier_needs_a_thaw_too() {
    Thaw archived = of("INTELLIGENT_TIERING", null, "DEEP_ARCHIVE_ACCESS").get();
    assertFalse(archived.readable());
    assertTrue(archived.storageClass().contains("DEEP_ARCHIVE_ACCESS"), archived.storageClass());
    assertTrue(of("INTELLIGENT_TIERING", "ongoing-request=\"false\"", "ARCHIVE_ACCESS").get().readable());
  }
}
