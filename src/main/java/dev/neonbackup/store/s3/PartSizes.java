package dev.neonbackup.store.s3;

/**
 * The size of each part of a streamed multipart upload, whose total length is unknown when it
 * starts. S3 allows 10,000 parts, so fixed 8 MiB parts would cap an archive at 78 GiB. Parts start
 * small (little memory for the usual database) for {@code firstStep} parts, then double every
 * {@code partsPerStep} parts up to {@code largest}; the standard schedule keeps the first size up
 * to 5.5 GiB and stores up to about 1.01 TiB.
 */
public record PartSizes(long first, int firstStep, int partsPerStep, long largest) {
  public static final long MIB = 1024L * 1024L;
  public static final int MAX_PARTS = 10_000;
  /** S3's smallest part, except the last. */
  public static final long S3_MINIMUM = 5 * MIB;
  /** The largest part this stream buffers, well under S3's 5 GiB. */
  public static final long S3_MAXIMUM = 1024 * MIB;

  public PartSizes {
    if (first < S3_MINIMUM
        || largest < first
        || largest > S3_MAXIMUM
        || firstStep < 1
        || partsPerStep < 1) {
      throw new IllegalArgumentException("invalid part sizes");
    }
  }

  /** Every step as long as the first. */
  public PartSizes(long first, int partsPerStep, long largest) {
    this(first, partsPerStep, partsPerStep, largest);
  }

  /**
   * 8 MiB x 700 (5.5 GiB: the part buffers of a backup up to that size hold as little as those of
   * a small one), 16 MiB x 500, 32 MiB x 500, 64 MiB x 500, then 128 MiB up to part 10,000.
   */
  public static PartSizes standard() {
    return new PartSizes(8 * MIB, 700, 500, 128 * MIB);
  }

  /** The size of part {@code partNumber} (1-based). */
  public long sizeOf(int partNumber) {
    if (partNumber < 1 || partNumber > MAX_PARTS) {
      throw new IllegalArgumentException("part number out of range: " + partNumber);
    }
    int step = partNumber <= firstStep ? 0 : 1 + (partNumber - firstStep - 1) / partsPerStep;
    long size = first;
    for (int i = 0; i < step && size < largest; i++) {
      size *= 2;
    }
    return Math.min(size, largest);
  }

  /** The largest object this schedule can store in 10,000 parts. */
  public long capacity() {
    long total = 0;
    for (int part = 1; part <= MAX_PARTS; part++) {
      total += sizeOf(part);
    }
    return total;
  }
}
