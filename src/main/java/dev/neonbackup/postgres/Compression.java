package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.util.regex.Pattern;

/**
 * The {@code compression} input, handed to pg_dump's {@code --compress}: a level 0-9 (every
 * pg_dump), or {@code METHOD[:DETAIL]} with METHOD one of gzip, lz4, zstd, none (pg_dump 16+), or
 * {@code auto} (the default), which {@link #resolveFor} turns into one of those once the pg_dump is
 * chosen.
 */
public record Compression(String value, boolean namesMethod) {
  public static final String INPUT = "compression";

  /** The default: the value depends on the chosen pg_dump, see {@link #auto}. */
  public static final Compression AUTO = new Compression("auto", false);

  /**
   * zstd's level for {@code auto}. On the benchmark's database (.ci/bench/data.sql) pg_dump 17
   * with zstd:1 took 7.0 s for 254 MB where its default gzip level 6 took 20.4 s for 269 MB, and
   * level 1 was faster than levels 3 and 6 with an archive no larger (README, Performance):
   * pg_dump compresses on one core, so the level sets the pace.
   */
  static final int AUTO_ZSTD_LEVEL = 1;

  /** gzip's level for {@code auto} before pg_dump 16: Neon's own advice for pg_dump. */
  static final int AUTO_GZIP_LEVEL = 1;

  private static final Pattern LEVEL = Pattern.compile("[0-9]");
  private static final Pattern METHOD =
      Pattern.compile("(none|gzip|lz4|zstd)(:([0-9]+|[a-z_]+(=[0-9]+)?(,[a-z_]+(=[0-9]+)?)*))?");

  /** The first pg_dump major that understands method names. */
  public static final int METHOD_NAMES_SINCE = 16;

  public static Compression parse(String text) {
    String value = text.strip().toLowerCase(java.util.Locale.ROOT);
    if (value.equals(AUTO.value)) {
      return AUTO;
    }
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
            + "' is not understood: use auto, a level 0-9, or gzip, lz4, zstd or none with an optional"
            + " :LEVEL (for example zstd:5; method names need pg_dump 16 or later)");
  }

  /** What {@code auto} hands to a pg_dump of {@code pgDumpMajor}: zstd from 16 on, else gzip. */
  public static Compression auto(int pgDumpMajor) {
    return pgDumpMajor >= METHOD_NAMES_SINCE
        ? new Compression("zstd:" + AUTO_ZSTD_LEVEL, true)
        : new Compression(String.valueOf(AUTO_GZIP_LEVEL), false);
  }

  public boolean isAuto() {
    return this.equals(AUTO);
  }

  /** The value for the chosen pg_dump: {@code auto} resolved, any other value as given. */
  public Compression resolveFor(int pgDumpMajor) {
    return isAuto() ? auto(pgDumpMajor) : this;
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
