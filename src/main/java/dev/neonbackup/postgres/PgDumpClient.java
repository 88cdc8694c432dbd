package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.util.Locale;

/**
 * The {@code pg-dump-client} input: which installed pg_dump dumps a server. {@code match} (the
 * default): the server's own major, else the lowest newer one, so the archive restores with the
 * server's own pg_restore when it can. {@code newest}: the newest installed, for its faster
 * compression (zstd from 16 on); its archive needs a pg_restore of its major or newer. Either way
 * the pg_dump must be at least the server's major, and {@code pg-bin-dir} wins over both.
 */
public enum PgDumpClient {
  MATCH,
  NEWEST;

  public static final String INPUT = "pg-dump-client";

  public static PgDumpClient parse(String text) {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "match":
        return MATCH;
      case "newest":
        return NEWEST;
      default:
        throw new InputException(INPUT + " '" + text + "' is not one of: match, newest");
    }
  }

  public String inputValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
