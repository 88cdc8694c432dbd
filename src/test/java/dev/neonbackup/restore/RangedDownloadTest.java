package dev.neonbackup.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.ByteRange;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.MemoryStore.RangeFault;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangedDownloadTest {
  private static final String KEY = "neon-backups/neondb/neondb-20261121T031500Z.dump";
  private static final int RANGE = 1000;
  private static final int ATTEMPTS = 3;

  @TempDir Path directory;

  private final MemoryStore store = new MemoryStore("bucket");
  private final List<String> retries = new CopyOnWriteArrayList<>();

  @Test
  void should_write_every_range_at_its_offset_and_hash_the_whole_file() throws Exception {
    byte[] content = put(10 * RANGE + 17);

    String sha256 = download(content.length);

    assertArrayEquals(content, Files.readAllBytes(file()));
    assertEquals(sha256Of(content), sha256);
    assertEquals(11, store.rangeRequests().size(), store.rangeRequests().toString());
  }

  @Test
  void should_read_an_object_smaller_than_one_range_with_one_request() throws Exception {
    byte[] content = put(RANGE - 1);

    assertEquals(sha256Of(content), download(content.length));
    assertEquals(List.of(new ByteRange(0, RANGE - 1)), store.rangeRequests());
  }

  @Test
  void should_read_a_one_byte_object() throws Exception {
    byte[] content = put(1);

    assertEquals(sha256Of(content), download(1));
    assertArrayEquals(content, Files.readAllBytes(file()));
  }

  @Test
  void should_make_no_request_for_an_empty_object_and_hash_nothing() throws Exception {
    put(0);

    assertEquals(sha256Of(new byte[0]), download(0));
    assertEquals(List.of(), store.rangeRequests());
    assertEquals(0, Files.size(file()));
  }

  @Test
  void should_retry_only_the_range_that_answered_503_once() throws Exception {
    byte[] content = put(5 * RANGE);
    store.failRange(2 * RANGE, RangeFault.UNAVAILABLE, 1);

    assertEquals(sha256Of(content), download(content.length));
    assertArrayEquals(content, Files.readAllBytes(file()));
    assertEquals(2, requestsAt(2 * RANGE), store.rangeRequests().toString());
    assertEquals(
        List.of(
            "retrying bytes 2000-2999 of s3://bucket/" + KEY + " (attempt 2 of 3): could not read"
                + " bytes 2000-2999 of s3://bucket/" + KEY + ": S3 answered HTTP 503 SlowDown (injected)"),
        retries);
    for (long offset : new long[] {0, RANGE, 3 * RANGE, 4 * RANGE}) {
      assertEquals(1, requestsAt(offset), store.rangeRequests().toString());
    }
  }

  @Test
  void should_resume_a_range_whose_connection_was_reset_from_the_byte_it_stopped_at()
      throws Exception {
    byte[] content = put(3 * RANGE);
    store.failRange(RANGE, RangeFault.RESET, 1);

    assertEquals(sha256Of(content), download(content.length));
    assertArrayEquals(content, Files.readAllBytes(file()));
    assertTrue(
        store.rangeRequests().contains(new ByteRange(RANGE + RANGE / 2, RANGE / 2)),
        "the rest of the range is asked for: " + store.rangeRequests());
  }

  @Test
  void should_retry_a_range_whose_body_ended_short() throws Exception {
    byte[] content = put(3 * RANGE + 5);
    store.failRange(3 * RANGE, RangeFault.SHORT, 1);

    assertEquals(sha256Of(content), download(content.length));
    assertArrayEquals(content, Files.readAllBytes(file()));
    assertEquals(2, requestsAt(3 * RANGE) + requestsAt(3 * RANGE + 2), store.rangeRequests().toString());
  }

  @Test
  void should_fail_naming_the_object_once_a_range_failed_on_every_attempt() throws Exception {
    put(4 * RANGE);
    store.failRange(RANGE, RangeFault.UNAVAILABLE, Integer.MAX_VALUE);

    StorageException e = assertThrows(StorageException.class, () -> download(4 * RANGE));

    assertTrue(e.getMessage().contains("s3://bucket/" + KEY), e.getMessage());
    assertTrue(e.getMessage().contains("bytes 1000-1999"), e.getMessage());
    assertTrue(e.getMessage().contains(ATTEMPTS + " attempts"), e.getMessage());
    assertEquals(ATTEMPTS, requestsAt(RANGE), store.rangeRequests().toString());
    assertEquals(ATTEMPTS - 1, retries.size(), retries.toString());
  }

  @Test
  void should_not_retry_a_range_the_store_refused_for_good() throws Exception {
    put(4 * RANGE);
    store.failRange(2 * RANGE, RangeFault.DENIED, Integer.MAX_VALUE);

    StorageException e = assertThrows(StorageException.class, () -> download(4 * RANGE));

    assertTrue(e.getMessage().contains("s3://bucket/" + KEY), e.getMessage());
    assertEquals(1, requestsAt(2 * RANGE), store.rangeRequests().toString());
    assertEquals(List.of(), retries);
  }

  @Test
  void should_fail_when_the_object_is_shorter_than_its_planned_size() throws Exception {
    put(2 * RANGE);

    StorageException e = assertThrows(StorageException.class, () -> download(3 * RANGE));

    assertTrue(e.getMessage().contains("s3://bucket/" + KEY), e.getMessage());
  }

  private byte[] put(int size) {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    store.put(KEY, content);
    return content;
  }

  private String download(long size) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return new RangedDownload(store, 3, RANGE, ATTEMPTS, Duration.ZERO, retries::add)
          .download(store.at(KEY), size, channel);
    }
  }

  private long requestsAt(long offset) {
    return store.rangeRequests().stream().filter(range -> range.offset() == offset).count();
  }

  private Path file() {
    return directory.resolve("archive.dump");
  }

  private static String sha256Of(byte[] content) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
