package dev.neonbackup.neon;

import java.time.Duration;

/** Waits between calls; tests pass one that only records the pauses (and moves their clock). */
@FunctionalInterface
public interface Sleeper {
  /** The real one. */
  Sleeper THREAD = pause -> Thread.sleep(pause.toMillis());

  void sleep(Duration pause) throws InterruptedException;
}
