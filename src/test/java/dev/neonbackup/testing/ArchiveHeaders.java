package dev.neonbackup.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The start of a custom-format archive, byte for byte as pg_dump writes it. */
public final class ArchiveHeaders {
  private ArchiveHeaders() {}

  /** A header for archive format 1.{@code minor}.0, followed by the start of a table of contents. */
  public static byte[] custom(int minor, String database, String server, String pgDump) {
    return custom(minor, database, server, pgDump, minor >= 15 ? 1 : -1);
  }

  /**
   * The same with its compression: from format 1.15 on the algorithm's byte (0 none, 1 gzip, 2 lz4,
   * 3 zstd), before it the gzip level (-1 zlib's default, 0 none).
   */
  public static byte[] custom(int minor, String database, String server, String pgDump, int compression) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(minor);
    out.write(0);
    out.write(4); // int size
    out.write(8); // offset size
    out.write(1); // custom format
    if (minor >= 15) {
      out.write(compression);
    } else {
      writeInt(out, compression);
    }
    for (int value : new int[] {7, 15, 3, 21, 10, 126, 0}) {
      writeInt(out, value);
    }
    writeString(out, database);
    writeString(out, server);
    writeString(out, pgDump);
    out.writeBytes(new byte[64]); // the table of contents follows
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(value < 0 ? 1 : 0);
    int magnitude = Math.abs(value);
    for (int i = 0; i < 4; i++) {
      out.write((magnitude >> (8 * i)) & 0xff);
    }
  }

  private static void writeString(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    writeInt(out, bytes.length);
    out.writeBytes(bytes);
  }
}
