package dev.neonbackup.neon;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to send a call to the Neon API again, and after how long. 429, 503 and 423 (another
 * operation in progress) are retried for every call, after Neon's {@code Retry-After} when it gives
 * one; other 5xx answers, timeouts and dropped connections only for calls that are safe to repeat
 * (a POST that got them may have been carried out). A connection that never opened sent nothing, so
 * it is retried for every call. At most {@link #MAX_TRIES} tries and {@link #MAX_TOTAL_PAUSE} of
 * pauses in all.
 */
final class RetryPolicy {
  static final int MAX_TRIES = 6;
  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_PAUSE = Duration.ofSeconds(30);
  static final Duration MAX_TOTAL_PAUSE = Duration.ofMinutes(2);

  private RetryPolicy() {}

  /** Why a try got no answer. */
  enum Trouble {
    NONE,
    CANNOT_CONNECT,
    TIMED_OUT,
    CONNECTION_LOST
  }

  /** How one try ended: an HTTP status (and its Retry-After header), or no answer. */
  record Attempt(int status, Optional<String> retryAfter, Trouble trouble) {
    static Attempt answered(int status, Optional<String> retryAfter) {
      return new Attempt(status, retryAfter, Trouble.NONE);
    }

    static Attempt noAnswer(Trouble trouble) {
      return new Attempt(0, Optional.empty(), trouble);
    }
  }

  enum Verdict {
    /** A 2xx answer. */
    DONE,
    /** Try again after the pause. */
    RETRY,
    /** The failure is final (or the tries or the time are used up). */
    GIVE_UP,
    /** A call that changes something got no clear answer: look before doing it again. */
    MAYBE_DONE
  }

  record Decision(Verdict verdict, Duration pause) {
    static Decision of(Verdict verdict) {
      return new Decision(verdict, Duration.ZERO);
    }
  }

  /**
   * What to do after try number {@code triesSoFar} (1-based) ended as {@code attempt}, having
   * paused {@code pausedSoFar} before it, at {@code now}.
   */
  static Decision decide(
      Attempt attempt, boolean idempotent, int triesSoFar, Duration pausedSoFar, Instant now) {
    int status = attempt.status();
    if (status >= 200 && status < 300) {
      return Decision.of(Verdict.DONE);
    }
    boolean alwaysSafe =
        status == 429
            || status == 503
            || status == 423
            || attempt.trouble() == Trouble.CANNOT_CONNECT;
    boolean unclear = status >= 500 || (status == 0 && attempt.trouble() != Trouble.NONE);
    if (!alwaysSafe && !unclear) {
      return Decision.of(Verdict.GIVE_UP);
    }
    if (!alwaysSafe && !idempotent) {
      return Decision.of(Verdict.MAYBE_DONE);
    }
    if (triesSoFar >= MAX_TRIES) {
      return Decision.of(Verdict.GIVE_UP);
    }
    Duration pause =
        attempt.retryAfter().flatMap(value -> retryAfter(value, now)).orElse(backoff(triesSoFar));
    if (pausedSoFar.plus(pause).compareTo(MAX_TOTAL_PAUSE) > 0) {
      return Decision.of(Verdict.GIVE_UP);
    }
    return new Decision(Verdict.RETRY, pause);
  }

  /** The pause after try number {@code triesSoFar}: 1 s, doubling, at most 30 s. */
  static Duration backoff(int triesSoFar) {
    int doublings = Math.max(0, Math.min(triesSoFar - 1, 5));
    Duration pause = FIRST_PAUSE.multipliedBy(1L << doublings);
    return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
  }

  /**
   * A {@code Retry-After} value: delay seconds, or an HTTP date (a date already past means now).
   * Empty when it is neither, and then the backoff applies.
   */
  static Optional<Duration> retryAfter(String value, Instant now) {
    String text = value.strip();
    if (text.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
