package dev.neonbackup.postgres;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Passes bytes through while computing their SHA-256 and count, and keeping the first few. */
public final class DigestingOutputStream extends FilterOutputStream {
  /** Every custom-format archive starts with these bytes. */
  static final byte[] CUSTOM_ARCHIVE_MAGIC = {'P', 'G', 'D', 'M', 'P'};

  private final MessageDigest sha256;
  private final AtomicLong count = new AtomicLong();
  private final byte[] head = new byte[CUSTOM_ARCHIVE_MAGIC.length];

  public DigestingOutputStream(OutputStream target) {
    super(target);
    this.sha256 = newSha256();
  }

  /** A fresh SHA-256, which every Java runtime has. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    long before = count.get();
    for (int i = 0; before + i < head.length && i < length; i++) {
      head[(int) before + i] = data[offset + i];
    }
    sha256.update(data, offset, length);
    out.write(data, offset, length);
    count.addAndGet(length);
  }

  public long count() {
    return count.get();
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  public boolean startsWithCustomArchiveMagic() {
    return count.get() >= head.length && java.util.Arrays.equals(head, CUSTOM_ARCHIVE_MAGIC);
  }
}
