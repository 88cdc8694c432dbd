package dev.neonbackup.notify;

import java.time.Duration;

/** How hard a ping or message is tried: each try's timeout, the tries, the pause between them. */
public record Delivery(Duration timeout, int tries, Duration pause) {
  /** 10 s a try, 3 tries, a second apart: at most about 32 s for a receiver that never answers. */
  public static final Delivery STANDARD =
      new Delivery(Duration.ofSeconds(10), 3, Duration.ofSeconds(1));

  /** After a signal: one short try, inside the cancel's network budget. */
  public static final Delivery ON_CANCEL = new Delivery(Duration.ofMillis(1500), 1, Duration.ZERO);

  /** As {@link #STANDARD} with each try limited to {@code timeout}, pauses a tenth of it. */
  public static Delivery standardWithTimeout(Duration timeout) {
    return new Delivery(timeout, STANDARD.tries(), timeout.dividedBy(10));
  }
}
