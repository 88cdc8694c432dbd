package dev.neonbackup.check;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@code check} found for one database: its newest published backup, if any, and every
 * problem with it (none: all is well).
 */
public record DatabaseFreshness(String database, Optional<Newest> newest, List<String> problems) {
  /**
   * The newest backup with a matching manifest: its key, its age by the stamp in the key, the size
   * of the pg_dump archive (inside the encryption, for an encrypted one), and the change against
   * the one published before it, in percent (empty for the first one).
   */
  public record Newest(String key, long ageSeconds, long sizeBytes, OptionalDouble changePercent) {}

  public DatabaseFreshness {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
