package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.MemoryStore.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The key is claimed beside pg_dump's start, so the first byte waits for no S3 round trip. */
@Timeout(30) // a write that waits for a claim that never runs would hang
class ClaimedUploadTest {
  private static final BackupKey NOON =
      new BackupKey("neon-backups/", "app", Instant.parse("2026-11-21T12:00:00Z"));

  private final MemoryStore store = new MemoryStore();
  /** Claims run when the test says so. */
  private final List<Runnable> held = new ArrayList<>();

  @Test
  void the_claim_runs_on_its_own_and_the_bytes_reach_the_claimed_key() throws Exception {
    store.put(NOON.key(), new byte[] {9});
    ClaimedUpload upload = ClaimedUpload.start(store, NOON, held::add);
    assertTrue(store.unfinishedUploads().isEmpty(), "nothing claimed before the claim runs");
    held.forEach(Runnable::run);
    upload.write(new byte[] {1, 2, 3}, 0, 3);
    upload.complete();
    assertEquals(NOON.nextSecond(), upload.key());
    assertEquals(store.at(NOON.nextSecond().key()), upload.location());
    assertArrayEquals(new byte[] {1, 2, 3}, store.object(NOON.nextSecond().key()));
  }

  @Test
  void closed_while_the_claim_runs_it_waits_for_the_claim_and_aborts_its_upload() throws Exception {
    java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    ClaimedUpload upload =
        ClaimedUpload.start(
            store,
            NOON,
            task ->
                new Thread(
                        () -> {
                          try {
                            closing.await();
                            Thread.sleep(200); // the claim ends after close() was called
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          task.run();
                        })
                    .start());
    closing.countDown();
    upload.close();
    // The process may exit right after close(): no upload may be left for the claim to make.
    assertTrue(store.unfinishedUploads().isEmpty(), "upload left open: " + store.unfinishedUploads());
    assertEquals(1, store.uploadsStarted(), "the claim had run when close() returned");
    assertFalse(store.exists(NOON.key()));
  }

  @Test
  void closed_after_the_claim_aborts_its_upload() {
    ClaimedUpload upload = ClaimedUpload.start(store, NOON, Runnable::run);
    assertEquals(List.of(NOON.key()), store.unfinishedUploads());
    upload.close();
    assertTrue(store.unfinishedUploads().isEmpty());
  }

  @Test
  void a_failed_claim_is_the_storage_failure_of_the_first_write() {
    store.fail(Operation.START_UPLOAD);
    ClaimedUpload upload = ClaimedUpload.start(store, NOON, Runnable::run);
    StorageException failure =
        assertThrows(StorageException.class, () -> upload.write(new byte[] {1}, 0, 1));
    assertEquals(FailureKind.STORAGE, failure.kind());
    upload.close();
    assertTrue(store.unfinishedUploads().isEmpty());
  }
}
