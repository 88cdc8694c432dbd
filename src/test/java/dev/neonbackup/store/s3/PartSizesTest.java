package dev.neonbackup.store.s3;

import static dev.neonbackup.store.s3.PartSizes.MIB;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartSizesTest {
  private static final long TIB = 1L << 40;

  @ParameterizedTest(name = "part {0} is {1} MiB")
  @CsvSource({
    "1, 8",
    "2, 8",
    "500, 8",
    "501, 8",
    "700, 8",
    "701, 16",
    "1200, 16",
    "1201, 32",
    "1700, 32",
    "1701, 64",
    "2200, 64",
    "2201, 128",
    "2700, 128",
    "2701, 128",
    "9999, 128",
    "10000, 128"
  })
  void keeps_8_mib_for_700_parts_then_doubles_every_500_up_to_128_mib(int part, long mebibytes) {
    assertEquals(mebibytes * MIB, PartSizes.standard().sizeOf(part));
  }

  @Test
  void describes_the_standard_schedule() {
    assertEquals(new PartSizes(8 * MIB, 700, 500, 128 * MIB), PartSizes.standard());
  }

  @Test
  void stores_a_5_gib_archive_in_parts_of_the_first_size() {
    PartSizes sizes = PartSizes.standard();
    long total = 0;
    int part = 0;
    while (total < 5L * 1024 * MIB) {
      part++;
      total += sizes.sizeOf(part);
      assertEquals(8 * MIB, sizes.sizeOf(part), "part " + part);
    }
  }

  @Test
  void a_schedule_of_three_sizes_makes_every_step_as_long_as_the_first() {
    assertEquals(new PartSizes(5 * MIB, 2, 2, 10 * MIB), new PartSizes(5 * MIB, 2, 10 * MIB));
  }

  @Test
  void doubles_after_the_first_step_then_after_every_later_step() {
    PartSizes sizes = new PartSizes(5 * MIB, 3, 1, 40 * MIB);
    assertEquals(5 * MIB, sizes.sizeOf(3));
    assertEquals(10 * MIB, sizes.sizeOf(4));
    assertEquals(20 * MIB, sizes.sizeOf(5));
    assertEquals(40 * MIB, sizes.sizeOf(6));
    assertEquals(40 * MIB, sizes.sizeOf(7));
  }

  @Test
  void never_shrinks_from_one_part_to_the_next() {
    PartSizes sizes = PartSizes.standard();
    for (int part = 2; part <= PartSizes.MAX_PARTS; part++) {
      assertTrue(sizes.sizeOf(part) >= sizes.sizeOf(part - 1), "part " + part);
    }
  }

  @Test
  void never_goes_below_the_s3_minimum_or_above_the_largest() {
    PartSizes sizes = PartSizes.standard();
    for (int part = 1; part <= PartSizes.MAX_PARTS; part++) {
      long size = sizes.sizeOf(part);
      assertTrue(size >= PartSizes.S3_MINIMUM && size <= 128 * MIB, "part " + part);
    }
  }

  @Test
  void stores_at_least_one_tib_with_the_standard_schedule() {
    long capacity = PartSizes.standard().capacity();
    assertTrue(capacity >= TIB, capacity + " bytes");
  }

  @Test
  void sums_every_part_size_into_the_capacity() {
    assertEquals(
        (700 * 8 + 500 * (16 + 32 + 64) + 7800 * 128) * MIB, PartSizes.standard().capacity());
  }

  @Test
  void computes_the_capacity_of_a_fixed_size_schedule() {
    assertEquals(10_000 * 5 * MIB, new PartSizes(5 * MIB, 1, 5 * MIB).capacity());
  }

  @Test
  void caps_a_largest_size_that_is_not_a_doubling_of_the_first() {
    PartSizes sizes = new PartSizes(5 * MIB, 1, 12 * MIB);
    assertEquals(5 * MIB, sizes.sizeOf(1));
    assertEquals(10 * MIB, sizes.sizeOf(2));
    assertEquals(12 * MIB, sizes.sizeOf(3));
    assertEquals(12 * MIB, sizes.sizeOf(10_000));
  }

  @Test
  void doubles_after_every_part_when_each_step_is_one_part() {
    PartSizes sizes = new PartSizes(8 * MIB, 1, 64 * MIB);
    assertEquals(8 * MIB, sizes.sizeOf(1));
    assertEquals(16 * MIB, sizes.sizeOf(2));
    assertEquals(32 * MIB, sizes.sizeOf(3));
    assertEquals(64 * MIB, sizes.sizeOf(4));
    assertEquals(64 * MIB, sizes.sizeOf(5));
  }

  @Test
  void accepts_the_smallest_valid_schedule() {
    assertDoesNotThrow(() -> new PartSizes(PartSizes.S3_MINIMUM, 1, PartSizes.S3_MINIMUM));
  }

  @Test
  void refuses_a_first_part_below_the_s3_minimum() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PartSizes(PartSizes.S3_MINIMUM - 1, 500, 128 * MIB));
    assertThrows(IllegalArgumentException.class, () -> new PartSizes(0, 500, 128 * MIB));
  }

  @Test
  void refuses_a_largest_part_below_the_first() {
    assertThrows(IllegalArgumentException.class, () -> new PartSizes(16 * MIB, 500, 16 * MIB - 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void refuses_steps_of_fewer_than_one_part(int partsPerStep) {
    assertThrows(IllegalArgumentException.class, () -> new PartSizes(8 * MIB, partsPerStep, 128 * MIB));
    assertThrows(
        IllegalArgumentException.class, () -> new PartSizes(8 * MIB, partsPerStep, 500, 128 * MIB));
    assertThrows(
        IllegalArgumentException.class, () -> new PartSizes(8 * MIB, 700, partsPerStep, 128 * MIB));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 10_001, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void refuses_part_numbers_outside_1_to_10000(int part) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartSizes.standard().sizeOf(part));
    assertEquals("part number out of range: " + part, e.getMessage());
  }
}
