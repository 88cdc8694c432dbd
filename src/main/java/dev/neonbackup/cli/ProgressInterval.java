package dev.neonbackup.cli;

import java.time.Duration;

/**
 * How often a backup or a restore says how far it has got: every 10 s. Tests that cannot wait that
 * long set the JVM property {@value #PROPERTY} (milliseconds); it is no input of the Action.
 */
final class ProgressInterval {
  static final String PROPERTY = "neonbackup.progress-interval-millis";
  private static final Duration STANDARD = Duration.ofSeconds(10);

  private ProgressInterval() {}

  static Duration current() {
    String millis = System.getProperty(PROPERTY);
    return millis == null ? STANDARD : Duration.ofMillis(Long.parseLong(millis));
  }
}
