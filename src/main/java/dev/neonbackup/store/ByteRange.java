package dev.neonbackup.store;

/** {@code length} bytes of an object from {@code offset}. */
public record ByteRange(long offset, long length) {
  public ByteRange {
    if (offset < 0 || length < 1) {
      throw new IllegalArgumentException("a range needs an offset >= 0 and a length >= 1");
    }
  }

  /** The offset just past the range. */
  public long end() {
    return offset + length;
  }

  /** The range's last byte, inclusive, as HTTP's Range header counts. */
  public long lastByte() {
    return offset + length - 1;
  }

  @Override
  public String toString() {
    return "bytes " + offset + "-" + lastByte();
  }
}
