package dev.neonbackup.cli;

import dev.neonbackup.backup.NeonSettings;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The Neon API as the source of a backup (backup only). */
public final class NeonOptions {
  @Mixin NeonApiOptions api;

  @Option(
      names = "--snapshot",
      paramLabel = "MODE",
      description = "none (default): dump what the connection points at; branch: dump a temporary"
          + " branch of neon-branch made for this run, and delete it afterwards.")
  String snapshot;

  @Option(
      names = "--snapshot-timestamp",
      paramLabel = "TIME",
      description = "With snapshot: branch, make the branch at this RFC 3339 time instead of now"
          + " (within the project's restore window).")
  String snapshotTimestamp;

  Optional<NeonSettings> settings(RunContext context) {
    return NeonSettings.of(
        api.apiKey,
        api.projectId,
        api.branch,
        api.apiUrl,
        snapshot,
        snapshotTimestamp,
        context.clock());
  }
}
