package dev.neonbackup.store.s3;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew an assumed role's credentials: from {@code prefetchAt} a background refresh gets
 * new ones while the old still serve; from {@code staleAt} no request is signed with the old ones
 * until new ones are in. Both are a share of the session's own lifetime, capped at the SDK's
 * defaults (5 minutes, 1 minute), which assume sessions of an hour: a 15-minute session is renewed
 * after 10 minutes, a 15-second one after 10 seconds, never on every request.
 */
record RefreshWindows(Instant prefetchAt, Instant staleAt) {
  static final Duration MAX_PREFETCH = Duration.ofMinutes(5);
  static final Duration MAX_STALE = Duration.ofMinutes(1);

  static RefreshWindows between(Instant issued, Instant expiration) {
    Duration lifetime = Duration.between(issued, expiration);
    if (lifetime.isNegative()) {
      lifetime = Duration.ZERO;
    }
    Duration prefetch = min(MAX_PREFETCH, lifetime.dividedBy(3));
    Duration stale = min(MAX_STALE, lifetime.dividedBy(10));
    return new RefreshWindows(expiration.minus(prefetch), expiration.minus(stale));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
