package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveHeaderTest {
  /** A header as pg_dump writes it, for archive format 1.major.minor. */
  private static byte[] header(int minor, String database, String server, String pgDump) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(minor);
    out.write(0);
    out.write(4); // int size
    out.write(8); // offset size
    out.write(1); // custom format
    if (minor >= 15) {
      out.write(1); // gzip
    } else {
      writeInt(out, -1); // default compression
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

  @Test
  void reads_the_versions_of_a_pg_dump_15_archive() {
    ArchiveHeader header =
        ArchiveHeader.parse(header(14, "neondb", "15.18 (Debian 15.18-0+deb12u1)", "15.18 (Debian 15.18-0+deb12u1)"))
            .orElseThrow();
    assertEquals("1.14.0", header.formatVersion());
    assertEquals("neondb", header.database());
    assertEquals("15.18 (Debian 15.18-0+deb12u1)", header.serverVersion());
    assertEquals(15, PgClients.majorOf(header.pgDumpVersion()));
  }

  @Test
  void reads_the_compression_byte_of_archives_from_pg_dump_16_on() {
    ArchiveHeader header = ArchiveHeader.parse(header(16, "dø", "17.5", "17.6")).orElseThrow();
    assertEquals("1.16.0", header.formatVersion());
    assertEquals("dø", header.database());
    assertEquals("17.6", header.pgDumpVersion());
  }

  @Test
  void anything_else_is_not_a_header() {
    assertTrue(ArchiveHeader.parse("not an archive at all".getBytes(StandardCharsets.UTF_8)).isEmpty());
    assertTrue(ArchiveHeader.parse(new byte[3]).isEmpty());
    byte[] truncated = java.util.Arrays.copyOf(header(16, "db", "17.5", "17.6"), 40);
    assertTrue(ArchiveHeader.parse(truncated).isEmpty());
  }
}
