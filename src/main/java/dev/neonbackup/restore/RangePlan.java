package dev.neonbackup.restore;

import dev.neonbackup.store.ByteRange;
import java.util.ArrayList;
import java.util.List;

/** How a parallel restore downloads an object: the ranges, and how many are read at once. */
final class RangePlan {
  private static final long MIB = 1024 * 1024;
  /** Below this a request's latency weighs on its transfer (S3's advice: 8-16 MB per GET). */
  static final long MIN_RANGE_SIZE = 8 * MIB;
  /** Above this a retry repeats too much, and the last ranges leave streams idle. */
  static final long MAX_RANGE_SIZE = 64 * MIB;
  /** Ranges per stream the size aims at, so streams finishing early find more to do. */
  private static final int RANGES_PER_STREAM = 4;

  private static final int MIN_STREAMS = 2;
  private static final int MAX_STREAMS = 8;

  private RangePlan() {}

  /** The object's bytes in ranges of {@code rangeSize}, in order, the last one shorter. */
  static List<ByteRange> split(long size, long rangeSize) {
    if (size < 0 || rangeSize < 1) {
      throw new IllegalArgumentException("size " + size + ", range size " + rangeSize);
    }
    List<ByteRange> ranges = new ArrayList<>();
    for (long offset = 0; offset < size; offset += rangeSize) {
      ranges.add(new ByteRange(offset, Math.min(rangeSize, size - offset)));
    }
    return ranges;
  }

  /**
   * The range size for an object of {@code size} read by {@code streams} at once: about {@link
   * #RANGES_PER_STREAM} ranges per stream, in whole MiB, within {@link #MIN_RANGE_SIZE} and {@link
   * #MAX_RANGE_SIZE}.
   */
  static long rangeSizeFor(long size, int streams) {
    long perRange = Math.max(1, size / ((long) streams * RANGES_PER_STREAM));
    long wholeMib = (perRange + MIB - 1) / MIB * MIB;
    return Math.max(MIN_RANGE_SIZE, Math.min(MAX_RANGE_SIZE, wholeMib));
  }

  /**
   * Ranges read at once for a restore of {@code jobs} jobs: as many as pg_restore will run, which
   * the user chose for this machine and this server, within bounds that S3 and a runner take well.
   */
  static int streamsFor(int jobs) {
    return Math.max(MIN_STREAMS, Math.min(MAX_STREAMS, jobs));
  }
}
