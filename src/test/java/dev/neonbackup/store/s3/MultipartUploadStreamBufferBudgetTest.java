package dev.neonbackup.store.s3;

import static dev.neonbackup.store.s3.PartSizes.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How many parts upload while the next one fills: the stream's memory bound, as a pure rule. */
class MultipartUploadStreamBufferBudgetTest {
  private static final long MEMORY_CAP = 128 * MIB;

  @Test
  void has_a_budget_of_128_mib() {
    assertEquals(MEMORY_CAP, MultipartUploadStream.BUFFER_BUDGET);
  }

  @ParameterizedTest(name = "{0} MiB parts: {1} in flight")
  @CsvSource({"8, 2", "16, 2", "32, 2", "64, 1", "128, 0"})
  void lets_fewer_parts_upload_at_once_as_parts_grow(long mebibytes, int inFlight) {
    assertEquals(inFlight, MultipartUploadStream.maxInFlight(mebibytes * MIB));
  }

  @ParameterizedTest
  @CsvSource({"5", "8", "16", "32", "64", "128"})
  void holds_at_most_128_mib_of_buffers_for_a_part_size(long mebibytes) {
    long size = mebibytes * MIB;
    long held = (MultipartUploadStream.maxInFlight(size) + 1L) * size;
    assertTrue(held <= MEMORY_CAP, held / MIB + " MiB");
  }

  @Test
  void holds_at_most_128_mib_of_buffers_for_every_part_size_of_the_standard_schedule() {
    PartSizes sizes = PartSizes.standard();
    for (int part = 1; part <= PartSizes.MAX_PARTS; part++) {
      long size = sizes.sizeOf(part);
      long held = (MultipartUploadStream.maxInFlight(size) + 1L) * size;
      assertTrue(held <= MEMORY_CAP, "part " + part + ": " + held / MIB + " MiB");
    }
  }

  /**
   * Replays the stream's rule over the standard schedule: before part n fills, the oldest uploads
   * are awaited until at most maxInFlight(size of n) remain. Parts still in flight when the size
   * doubles are smaller, so the total must stay within the cap at every step boundary too.
   */
  @Test
  void holds_at_most_128_mib_across_the_step_boundaries_of_the_standard_schedule() {
    PartSizes sizes = PartSizes.standard();
    Deque<Long> inFlight = new ArrayDeque<>();
    for (int part = 1; part <= PartSizes.MAX_PARTS; part++) {
      long size = sizes.sizeOf(part);
      while (inFlight.size() > MultipartUploadStream.maxInFlight(size)) {
        inFlight.removeFirst();
      }
      long held = size + inFlight.stream().mapToLong(Long::longValue).sum();
      assertTrue(held <= MEMORY_CAP, "part " + part + ": " + held / MIB + " MiB");
      inFlight.addLast(size);
    }
  }

  @Test
  void keeps_at_least_one_part_uploading_while_the_next_fills_below_the_largest_size() {
    PartSizes sizes = PartSizes.standard();
    for (int part = 1; part <= 2000; part++) {
      assertTrue(MultipartUploadStream.maxInFlight(sizes.sizeOf(part)) >= 1, "part " + part);
    }
  }

  @Test
  void lets_none_upload_while_a_part_larger_than_the_budget_fills() {
    assertEquals(0, MultipartUploadStream.maxInFlight(MEMORY_CAP + 1));
    assertEquals(0, MultipartUploadStream.maxInFlight(1024 * MIB));
  }

  @Test
  void lets_one_upload_at_half_the_budget_and_none_just_above() {
    assertEquals(1, MultipartUploadStream.maxInFlight(MEMORY_CAP / 2));
    assertEquals(0, MultipartUploadStream.maxInFlight(MEMORY_CAP / 2 + 1));
    assertEquals(2, MultipartUploadStream.maxInFlight(MEMORY_CAP / 3));
    assertEquals(1, MultipartUploadStream.maxInFlight(MEMORY_CAP / 3 + 1));
  }
}
