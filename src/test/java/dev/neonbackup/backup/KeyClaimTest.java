package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.PendingUpload;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.MemoryStore.Operation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyClaimTest {
  private static final BackupKey NOON =
      new BackupKey("neon-backups/", "app", Instant.parse("2026-11-21T12:00:00Z"));

  private final MemoryStore store = new MemoryStore();

  @Test
  void an_archive_in_the_clear_at_that_second_makes_an_encrypted_run_take_the_next_and_back() {
    BackupKey encrypted = NOON.withEncryption(true);
    store.put(NOON.key(), new byte[] {1});
    assertEquals(encrypted.nextSecond(), KeyClaim.open(store, encrypted).key());
    MemoryStore other = new MemoryStore();
    other.put(encrypted.key(), new byte[] {1});
    assertEquals(NOON.nextSecond(), KeyClaim.open(other, NOON).key());
  }

  @Test
  void an_earlier_upload_to_the_other_spelling_makes_it_give_the_second_up() {
    String othersUpload = store.startUpload(NOON.key()).id();
    KeyClaim.Claimed claim = KeyClaim.open(store, NOON.withEncryption(true));
    assertEquals(NOON.withEncryption(true).nextSecond(), claim.key());
    assertEquals(othersUpload, store.pendingUploads(NOON.key()).get(0).id());
    assertEquals(List.of(), store.pendingUploads(NOON.withEncryption(true).key()), "its own is aborted");
  }

  @Test
  void a_free_key_is_claimed_with_an_upload_to_it() {
    KeyClaim.Claimed claim = KeyClaim.open(store, NOON);
    assertEquals(NOON, claim.key());
    assertEquals(List.of(NOON.key()), store.unfinishedUploads());
    assertEquals(claim.upload().id(), store.pendingUploads(NOON.key()).get(0).id());
  }

  @Test
  void an_existing_object_makes_it_take_the_next_second() {
    store.put(NOON.key(), new byte[] {1});
    KeyClaim.Claimed claim = KeyClaim.open(store, NOON);
    assertEquals(NOON.nextSecond(), claim.key());
    assertEquals(List.of(NOON.nextSecond().key()), store.unfinishedUploads());
  }

  @Test
  void another_runs_earlier_upload_makes_it_give_the_key_up_and_abort_its_own() {
    String othersUpload = store.startUpload(NOON.key()).id();
    KeyClaim.Claimed claim = KeyClaim.open(store, NOON);
    assertEquals(NOON.nextSecond(), claim.key());
    assertEquals(List.of(NOON.key(), NOON.nextSecond().key()), store.unfinishedUploads());
    assertEquals(othersUpload, store.pendingUploads(NOON.key()).get(0).id());
    assertEquals(1, store.pendingUploads(NOON.key()).size(), "its own upload there is aborted");
  }

  @Test
  void sixty_taken_seconds_are_a_storage_failure_that_leaves_no_upload() {
    BackupKey key = NOON;
    for (int second = 0; second < 60; second++, key = key.nextSecond()) {
      if (second % 2 == 0) {
        store.put(key.key(), new byte[] {1});
      } else {
        store.startUpload(key.key());
      }
    }
    List<String> othersUploads = store.unfinishedUploads();
    StorageException failure = assertThrows(StorageException.class, () -> KeyClaim.open(store, NOON));
    assertEquals(FailureKind.STORAGE, failure.kind());
    assertEquals("no free key within a minute of " + NOON.key(), failure.getMessage());
    assertEquals(othersUploads, store.unfinishedUploads());
  }

  @Test
  void a_failed_look_at_the_pending_uploads_aborts_the_upload_it_started() {
    store.fail(Operation.PENDING_UPLOADS);
    assertThrows(StorageException.class, () -> KeyClaim.open(store, NOON));
    assertEquals(List.of(), store.unfinishedUploads());
  }

  @Test
  void a_failed_existence_check_fails_before_any_upload_starts() {
    store.fail(Operation.EXISTS);
    assertThrows(StorageException.class, () -> KeyClaim.open(store, NOON));
    assertEquals(List.of(), store.unfinishedUploads());
  }

  @Test
  void no_pending_upload_means_it_did_not_start_after_another() {
    assertFalse(KeyClaim.startedAfterAnother(List.of(), "ours"));
  }

  @Test
  void being_the_oldest_pending_upload_keeps_the_key() {
    assertFalse(KeyClaim.startedAfterAnother(List.of(pending("ours", 1), pending("theirs", 2)), "ours"));
  }

  @Test
  void another_upload_older_than_ours_loses_us_the_key() {
    assertTrue(KeyClaim.startedAfterAnother(List.of(pending("theirs", 1), pending("ours", 2)), "ours"));
  }

  @Test
  void an_older_upload_we_cannot_see_ourselves_beside_still_loses_us_the_key() {
    assertTrue(KeyClaim.startedAfterAnother(List.of(pending("theirs", 1)), "ours"));
  }

  private static PendingUpload pending(String id, long second) {
    return new PendingUpload(id, Instant.EPOCH.plusSeconds(second));
  }
}
