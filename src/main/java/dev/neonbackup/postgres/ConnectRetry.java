package dev.neonbackup.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * When to try connecting again. A Neon compute that scaled to zero starts on the first connection,
 * which can be slow or fail while it starts; those failures are retried with exponential backoff
 * (2, 4, 8, 16, 30 s: about a minute for the default 5 retries). A failure that another attempt
 * cannot fix (a wrong password, a missing role or database, a name that does not resolve, TLS
 * refused) is never retried.
 */
public final class ConnectRetry {
  public static final String INPUT = "connect-retries";
  public static final int DEFAULT_RETRIES = 5;
  private static final int MAX_DELAY_SECONDS = 30;

  private static final List<String> PERMANENT =
      List.of(
          "password authentication failed",
          "no password supplied",
          "authentication failed",
          "scram",
          "channel binding",
          "does not exist",
          "no pg_hba.conf entry",
          "permission denied",
          "could not translate host name",
          "name or service not known",
          "server does not support ssl",
          "certificate",
          "invalid sslmode",
          "invalid connection option",
          "invalid uri");

  private ConnectRetry() {}

  /** The pause before retry number {@code retry} (1-based). */
  public static Duration delayBefore(int retry) {
    long seconds = retry >= 5 ? MAX_DELAY_SECONDS : Math.min(MAX_DELAY_SECONDS, 1L << retry);
    return Duration.ofSeconds(seconds);
  }

  /** Whether libpq's reason says another attempt cannot succeed. */
  public static boolean isPermanent(String reason) {
    String lower = reason.toLowerCase(Locale.ROOT);
    return PERMANENT.stream().anyMatch(lower::contains);
  }
}
