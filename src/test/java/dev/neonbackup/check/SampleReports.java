package dev.neonbackup.check;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Reports for the tests of what prints them: one database fine, one without any backup. */
public final class SampleReports {
  public static final String KEY = "neon-backups/app/app-20261121T110000Z.dump";

  private SampleReports() {}

  /** {@code app}, an hour old, 1,250 bytes, changed as given; {@code absent}, with no backup. */
  public static FreshnessReport appAndAbsent(OptionalDouble change, String absent) {
    return new FreshnessReport(
        List.of(
            new DatabaseFreshness(
                "app", Optional.of(new DatabaseFreshness.Newest(KEY, 3_600, 1_250, change)), List.of()),
            new DatabaseFreshness(absent, Optional.empty(), List.of("no backup at all"))),
        List.of());
  }
}
