package dev.neonbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neonbackup.store.ByteRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangePlanTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void should_plan_no_range_for_an_empty_object() {
    assertEquals(List.of(), RangePlan.split(0, 32 * MIB));
  }

  @Test
  void should_plan_one_range_for_a_one_byte_object() {
    assertEquals(List.of(new ByteRange(0, 1)), RangePlan.split(1, 32 * MIB));
  }

  @Test
  void should_plan_one_short_range_for_an_object_smaller_than_one_range() {
    assertEquals(List.of(new ByteRange(0, 32 * MIB - 1)), RangePlan.split(32 * MIB - 1, 32 * MIB));
  }

  @Test
  void should_plan_one_full_range_for_an_object_of_exactly_one_range() {
    assertEquals(List.of(new ByteRange(0, 32 * MIB)), RangePlan.split(32 * MIB, 32 * MIB));
  }

  @Test
  void should_plan_a_one_byte_last_range_for_one_byte_over_a_range() {
    assertEquals(
        List.of(new ByteRange(0, 32 * MIB), new ByteRange(32 * MIB, 1)), RangePlan.split(32 * MIB + 1, 32 * MIB));
  }

  @Test
  void should_cover_every_byte_once_in_order_with_a_shorter_last_range() {
    long size = 10 * 32 * MIB + 12345;
    List<ByteRange> ranges = RangePlan.split(size, 32 * MIB);
    assertEquals(11, ranges.size());
    long next = 0;
    for (ByteRange range : ranges) {
      assertEquals(next, range.offset());
      next = range.end();
    }
    assertEquals(size, next);
    assertEquals(12345, ranges.get(10).length());
    ranges.subList(0, 10).forEach(range -> assertEquals(32 * MIB, range.length()));
  }

  @Test
  void should_plan_ranges_beyond_two_gib_offsets_without_overflow() {
    long size = 5L * 1024 * MIB + 7;
    List<ByteRange> ranges = RangePlan.split(size, 64 * MIB);
    assertEquals(81, ranges.size());
    assertEquals(new ByteRange(80 * 64 * MIB, 7), ranges.get(80));
  }

  @Test
  void should_name_the_last_byte_of_a_range_inclusively_as_http_does() {
    assertEquals(0, new ByteRange(0, 1).lastByte());
    assertEquals(149, new ByteRange(100, 50).lastByte());
  }

  @Test
  void should_refuse_a_negative_size_or_a_range_size_below_one() {
    assertThrows(IllegalArgumentException.class, () -> RangePlan.split(-1, 32 * MIB));
    assertThrows(IllegalArgumentException.class, () -> RangePlan.split(10, 0));
  }

  @Test
  void should_download_with_as_many_streams_as_jobs_between_two_and_eight() {
    assertEquals(2, RangePlan.streamsFor(2));
    assertEquals(4, RangePlan.streamsFor(4));
    assertEquals(8, RangePlan.streamsFor(8));
    assertEquals(8, RangePlan.streamsFor(32));
  }

  @Test
  void should_size_ranges_for_about_four_per_stream_in_whole_mib() {
    assertEquals(25 * MIB, RangePlan.rangeSizeFor(400 * MIB, 4));
    assertEquals(25 * MIB, RangePlan.rangeSizeFor(400 * MIB - 1, 4));
    assertEquals(26 * MIB, RangePlan.rangeSizeFor(400 * MIB + 16 * MIB + 1, 4));
  }

  @Test
  void should_keep_ranges_at_least_8_mib_for_small_objects() {
    assertEquals(8 * MIB, RangePlan.rangeSizeFor(0, 4));
    assertEquals(8 * MIB, RangePlan.rangeSizeFor(1, 4));
    assertEquals(8 * MIB, RangePlan.rangeSizeFor(128 * MIB, 4));
    assertEquals(8 * MIB, RangePlan.rangeSizeFor(128 * MIB + 15, 4));
    assertEquals(9 * MIB, RangePlan.rangeSizeFor(128 * MIB + 16, 4));
  }

  @Test
  void should_keep_ranges_at_most_64_mib_for_large_objects() {
    assertEquals(64 * MIB, RangePlan.rangeSizeFor(1024 * MIB, 4));
    assertEquals(64 * MIB, RangePlan.rangeSizeFor(1024L * 1024 * MIB, 8));
    assertEquals(63 * MIB, RangePlan.rangeSizeFor(1024 * MIB - 16 * MIB, 4));
  }
}
