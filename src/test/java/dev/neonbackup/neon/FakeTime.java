package dev.neonbackup.neon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the client sleeps, and remembers each pause. */
final class FakeTime extends Clock implements Sleeper {
  private volatile Instant now;
  private final long speed;
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  FakeTime(Instant start) {
    this(start, 1);
  }

  /** A clock that moves {@code speed} times each pause: long waits in few polls. */
  FakeTime(Instant start, long speed) {
    this.now = start;
    this.speed = speed;
  }

  List<Duration> pauses() {
    return List.copyOf(pauses);
  }

  @Override
  public void sleep(Duration pause) {
    pauses.add(pause);
    now = now.plus(pause.multipliedBy(speed));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
