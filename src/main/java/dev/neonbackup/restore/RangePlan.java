package dev.neonbackup.restore;

import dev.neonbackup.store.ByteRange;
import java.util.ArrayList;
import java.util.List;

/** How a parallel restore downloads an object: the ranges, and how many are read at once. */
final class RangePlan {
  /**
   * Large enough that a request's latency is small beside its transfer, small enough that a retry
   * repeats little and a few ranges keep every stream busy on archives of a few hundred MB.
   */
  static final long RANGE_SIZE = 32L * 1024 * 1024;

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
   * Ranges read at once for a restore of {@code jobs} jobs: as many as pg_restore will run, which
   * the user chose for this machine and this server, within bounds that S3 and a runner take well.
   */
  static int streamsFor(int jobs) {
    return Math.max(MIN_STREAMS, Math.min(MAX_STREAMS, jobs));
  }
}
