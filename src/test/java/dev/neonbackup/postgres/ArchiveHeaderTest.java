package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.ArchiveHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchiveHeaderTest {
  private static byte[] header(int minor, String database, String server, String pgDump) {
    return ArchiveHeaders.custom(minor, database, server, pgDump);
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

  @ParameterizedTest
  @CsvSource({"-1, gzip", "0, none", "1, gzip:1", "6, gzip:6", "9, gzip:9"})
  void reads_the_gzip_level_of_archives_before_pg_dump_16(int level, String compression) {
    byte[] head = ArchiveHeaders.custom(14, "neondb", "15.18", "15.18", level);
    assertEquals(compression, ArchiveHeader.parse(head).orElseThrow().compression());
  }

  @ParameterizedTest
  @CsvSource({"0, none", "1, gzip", "2, lz4", "3, zstd"})
  void reads_the_compression_method_of_archives_from_pg_dump_16_on(int algorithm, String compression) {
    for (int minor : new int[] {15, 16}) {
      byte[] head = ArchiveHeaders.custom(minor, "neondb", "17.5", "17.6", algorithm);
      assertEquals(compression, ArchiveHeader.parse(head).orElseThrow().compression());
    }
  }

  @Test
  void anything_else_is_not_a_header() {
    assertTrue(ArchiveHeader.parse("not an archive at all".getBytes(StandardCharsets.UTF_8)).isEmpty());
    assertTrue(ArchiveHeader.parse(new byte[3]).isEmpty());
    byte[] truncated = java.util.Arrays.copyOf(header(16, "db", "17.5", "17.6"), 40);
    assertTrue(ArchiveHeader.parse(truncated).isEmpty());
  }
}
