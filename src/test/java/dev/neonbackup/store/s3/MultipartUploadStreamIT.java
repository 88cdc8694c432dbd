package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import dev.neonbackup.store.ObjectLocation;
import dev.neonbackup.store.ServerSide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming upload against a real S3 server, with sizes on both sides of each threshold. */
class MultipartUploadStreamIT {
  private static final long MIB = PartSizes.MIB;
  /** 5 MiB parts, doubling after every 2 parts, up to 10 MiB: 5, 5, 10, 10, 10, ... */
  private static final PartSizes SMALL = new PartSizes(5 * MIB, 2, 10 * MIB);

  private static S3Server s3;

  @BeforeAll
  static void start() {
    s3 = S3Server.shared();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(
      longs = {
        1,
        5 * MIB - 1,
        5 * MIB,
        5 * MIB + 1,
        10 * MIB - 1,
        10 * MIB,
        10 * MIB + 1,
        20 * MIB - 1,
        20 * MIB,
        20 * MIB + 1,
        33 * MIB + 7
      })
  void stores_exactly_the_bytes_written(long size) throws IOException {
    for (boolean checksums : new boolean[] {true, false}) {
      String bucket = s3.createBucket();
      byte[] data = randomBytes((int) size);
      ObjectLocation location = new ObjectLocation(bucket, "a/b.dump");
      try (MultipartUploadStream upload =
          MultipartUploadStream.start(s3.client(), location, SMALL, checksums, ServerSide.NONE, java.time.Instant.now())) {
        writeInOddChunks(upload, data);
        upload.complete();
        assertEquals(size, upload.size());
        assertEquals(expectedParts(size), upload.parts(), "parts for " + size + " bytes");
      }
      assertArrayEquals(data, s3.getObject(bucket, "a/b.dump"));
      assertEquals(List.of(), s3.unfinishedUploads(bucket));
    }
  }

  @Test
  void closing_without_completing_leaves_nothing() throws IOException {
    String bucket = s3.createBucket();
    try (MultipartUploadStream upload =
        MultipartUploadStream.start(s3.client(), new ObjectLocation(bucket, "x.dump"), SMALL, true, ServerSide.NONE, java.time.Instant.now())) {
      upload.write(randomBytes((int) (12 * MIB)));
    }
    assertEquals(List.of(), s3.keys(bucket, ""));
    assertEquals(List.of(), s3.unfinishedUploads(bucket));
  }

  @Test
  void refuses_to_replace_an_object_that_appeared_at_the_key() throws IOException {
    String bucket = s3.createBucket();
    ObjectLocation location = new ObjectLocation(bucket, "taken.dump");
    try (MultipartUploadStream upload =
        MultipartUploadStream.start(s3.client(), location, SMALL, true, ServerSide.NONE, java.time.Instant.now())) {
      upload.write(randomBytes(1000));
      s3.putObject(bucket, "taken.dump", new byte[] {1, 2, 3});
      StorageException refused = assertThrows(StorageException.class, () -> upload.complete());
      assertEquals(
          "could not publish s3://" + bucket + "/taken.dump: another object appeared at that key",
          refused.getMessage());
    }
    assertArrayEquals(new byte[] {1, 2, 3}, s3.getObject(bucket, "taken.dump"));
    assertEquals(List.of(), s3.unfinishedUploads(bucket));
  }

  @Test
  void a_server_that_goes_away_mid_upload_fails_the_write_or_the_completion() throws IOException {
    try (S3Server doomed = S3Server.start()) {
      String bucket = doomed.createBucket();
      MultipartUploadStream upload =
          MultipartUploadStream.start(
              doomed.client(), new ObjectLocation(bucket, "x.dump"), SMALL, true, ServerSide.NONE, java.time.Instant.now());
      upload.write(randomBytes((int) (6 * MIB)));
      doomed.stop();
      assertThrows(
          StorageException.class,
          () -> {
            upload.write(randomBytes((int) (12 * MIB)));
            upload.complete();
          });
      upload.close(); // the abort itself fails quietly: the server is gone
    }
  }

  private static int expectedParts(long size) {
    long remaining = size;
    int part = 0;
    while (remaining > 0) {
      part++;
      remaining -= SMALL.sizeOf(part);
    }
    return Math.max(part, 1);
  }

  private static void writeInOddChunks(MultipartUploadStream upload, byte[] data)
      throws IOException {
    int offset = 0;
    int chunk = 1;
    while (offset < data.length) {
      int length = Math.min(chunk, data.length - offset);
      upload.write(data, offset, length);
      offset += length;
      chunk = chunk * 3 + 7 > 3_000_000 ? 1 : chunk * 3 + 7;
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }
}
