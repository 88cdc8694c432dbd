package dev.neonbackup.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The head of a custom-format archive, as pg_dump writes it: the magic {@code PGDMP}, the archive
 * format version, integer and offset sizes, the format, the compression, the creation time, then
 * the database name, the server's version and pg_dump's own version. Read when an archive has no
 * manifest, to know which pg_restore can read it. {@code compression} is the method from pg_dump 16
 * on ({@code none}, {@code gzip}, {@code lz4}, {@code zstd}: the header keeps no level), and before
 * it the gzip level ({@code gzip:6}; {@code gzip} for zlib's default, {@code none} for 0).
 */
public record ArchiveHeader(
    String formatVersion,
    String compression,
    String database,
    String serverVersion,
    String pgDumpVersion) {
  /** More than any header needs: names and versions are short. */
  public static final int READ_BYTES = 4096;

  private static final int CUSTOM_FORMAT = 1;
  /** pg_dump's pg_compress_algorithm, by its value. */
  private static final String[] METHODS = {"none", "gzip", "lz4", "zstd"};

  /** Parses the first bytes of an archive; empty if they are not a custom-format header. */
  public static Optional<ArchiveHeader> parse(byte[] head) {
    try {
      return Optional.of(new Reader(head).header());
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static final class Reader {
    private final byte[] data;
    private int at;
    private int intSize;

    Reader(byte[] data) {
      this.data = data;
    }

    ArchiveHeader header() {
      if (!new String(data, 0, 5, StandardCharsets.US_ASCII).equals("PGDMP")) {
        throw new IllegalArgumentException("no magic");
      }
      at = 5;
      int major = data[at++] & 0xff;
      int minor = data[at++] & 0xff;
      int revision = data[at++] & 0xff;
      intSize = data[at++] & 0xff;
      at++; // offset size
      if ((data[at++] & 0xff) != CUSTOM_FORMAT || intSize < 1 || intSize > 8) {
        throw new IllegalArgumentException("not the custom format");
      }
      String compression = compression(major > 1 || (major == 1 && minor >= 15));
      for (int field = 0; field < 7; field++) {
        readInt(); // creation time: sec, min, hour, mday, mon, year, isdst
      }
      String database = readString();
      String server = readString();
      String pgDump = readString();
      if (pgDump == null) {
        throw new IllegalArgumentException("no pg_dump version");
      }
      return new ArchiveHeader(
          major + "." + minor + "." + revision, compression, database, server, pgDump);
    }

    /** A method's byte since archive 1.15 (pg_dump 16), a gzip level's int before. */
    private String compression(boolean method) {
      if (method) {
        int algorithm = data[at++] & 0xff;
        return algorithm < METHODS.length ? METHODS[algorithm] : "unknown " + algorithm;
      }
      long level = readInt();
      return level == 0 ? "none" : level < 0 ? "gzip" : "gzip:" + level;
    }

    /** A sign byte, then intSize bytes, least significant first. */
    private long readInt() {
      boolean negative = data[at++] != 0;
      long value = 0;
      for (int i = 0; i < intSize; i++) {
        value |= (long) (data[at++] & 0xff) << (8 * i);
      }
      return negative ? -value : value;
    }

    private String readString() {
      long length = readInt();
      if (length < 0) {
        return null;
      }
      if (length > data.length - at) {
        throw new IllegalArgumentException("string past the end");
      }
      String text = new String(data, at, (int) length, StandardCharsets.UTF_8);
      at += (int) length;
      return text;
    }
  }
}
