package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.util.regex.Pattern;

/**
 * The {@code compression} input, handed to pg_dump's {@code --compress}: a level 0-9 (every
 * pg_dump), or {@code METHOD[:DETAIL]} with METHOD one of gzip, lz4, zstd, none (pg_dump 16+).
 */
public record Compression(String value, boolean namesMethod) {
  public static final String INPUT = "compression";

  private static final Pattern LEVEL = Pattern.compile("[0-9]");
  private static final Pattern METHOD =
      Pattern.compile("(none|gzip|lz4|zstd)(:([0-9]+|[a-z_]+(=[0-9]+)?(,[a-z_]+(=[0-9]+)?)*))?");

  /** The first pg_dump major that understands method names. */
  public static final int METHOD_NAMES_SINCE = 16;

  public static Compression parse(String text) {
    String value = text.strip().toLowerCase(java.util.Locale.ROOT);
    if (LEVEL.matcher(value).matches()) {
      return new Compression(value, false);
    }
    if (METHOD.matcher(value).matches()) {
      return new Compression(value, true);
    }
    throw new InputException(
        INPUT
            + " '"
            + text
            + "' is not understood: use a level 0-9, or gzip, lz4, zstd or none with an optional"
            + " :LEVEL (for example zstd:5; method names need pg_dump 16 or later)");
  }

  /** Throws when the chosen pg_dump cannot take this value. */
  public void checkSupportedBy(int pgDumpMajor) {
    if (namesMethod && pgDumpMajor < METHOD_NAMES_SINCE) {
      throw new InputException(
          INPUT
              + " '"
              + value
              + "' names a compression method, which pg_dump "
              + pgDumpMajor
              + " does not support (it needs pg_dump "
              + METHOD_NAMES_SINCE
              + "+); use a level 0-9");
    }
  }
}
