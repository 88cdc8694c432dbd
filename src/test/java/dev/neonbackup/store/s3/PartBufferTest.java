package dev.neonbackup.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** A part's bytes in pooled fixed-size blocks: what goes in comes out, and the blocks are reused. */
class PartBufferTest {
  private static final int BLOCK = 1000;

  @Test
  void takes_bytes_up_to_its_capacity_across_blocks_and_streams_them_back() throws IOException {
    PartBuffer.Pool pool = new PartBuffer.Pool(BLOCK);
    PartBuffer part = pool.part(3500);
    byte[] data = randomBytes(5000, 1);
    int taken = 0;
    for (int piece = 1; taken < data.length && !part.full(); piece = piece * 2 + 1) {
      taken += part.fill(data, taken, Math.min(piece, data.length - taken));
    }
    assertEquals(3500, taken);
    assertTrue(part.full());
    assertEquals(3500, part.length());
    assertEquals(0, part.fill(data, taken, 10), "a full part takes nothing more");
    assertArrayEquals(Arrays.copyOf(data, 3500), readAll(part.newStream()));
    assertEquals(4, pool.blocksAllocated());
  }

  @Test
  void each_stream_starts_from_the_first_byte_as_the_sdk_reads_a_part_again_on_a_retry()
      throws IOException {
    PartBuffer part = new PartBuffer.Pool(BLOCK).part(2500);
    byte[] data = randomBytes(1200, 2);
    part.fill(data, 0, data.length);
    InputStream first = part.newStream();
    assertEquals(data[0] & 0xff, first.read());
    first.readNBytes(600);
    assertArrayEquals(data, readAll(part.newStream()));
    assertArrayEquals(Arrays.copyOfRange(data, 601, 1200), readAll(first));
    assertEquals(-1, first.read());
  }

  @Test
  void its_crc32_is_that_of_the_bytes_it_holds() {
    PartBuffer part = new PartBuffer.Pool(BLOCK).part(5000);
    byte[] data = randomBytes(4321, 3);
    part.fill(data, 0, data.length);
    CRC32 expected = new CRC32();
    expected.update(data);
    byte[] big = new byte[4];
    long value = expected.getValue();
    for (int i = 0; i < 4; i++) {
      big[i] = (byte) (value >>> (24 - 8 * i));
    }
    assertEquals(Base64.getEncoder().encodeToString(big), part.crc32());
  }

  @Test
  void the_crc32_of_the_standard_check_string_is_cbf43926_in_base64() {
    PartBuffer part = new PartBuffer.Pool(4).part(9);
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    part.fill(check, 0, check.length);
    assertEquals("y/Q5Jg==", part.crc32());
  }

  @Test
  void released_blocks_are_reused_by_the_next_parts_whatever_their_size() throws IOException {
    PartBuffer.Pool pool = new PartBuffer.Pool(BLOCK);
    for (int round = 0; round < 50; round++) {
      int size = round < 25 ? 2000 : 4000;
      PartBuffer part = pool.part(size);
      byte[] data = randomBytes(size, round);
      part.fill(data, 0, size);
      assertArrayEquals(data, readAll(part.newStream()));
      part.release();
    }
    assertEquals(4, pool.blocksAllocated(), "blocks for the largest part only");
  }

  @Test
  void an_empty_part_streams_nothing() throws IOException {
    PartBuffer part = new PartBuffer.Pool(BLOCK).part(5000);
    assertFalse(part.full());
    assertEquals(0, part.length());
    assertEquals(-1, part.newStream().read());
    assertEquals("AAAAAA==", part.crc32());
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }
}
