package dev.neonbackup.testing;

/** One-line progress messages from the fixtures, on stderr. Never pass a secret here. */
final class FixtureLog {
  private FixtureLog() {}

  static void log(String message) {
    System.err.println("[test-fixtures] " + message);
  }

  static String seconds(long startNanos) {
    return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }
}
