package dev.neonbackup.cli;

import dev.neonbackup.backup.NeonSettings;
import dev.neonbackup.neon.NeonApi;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The Neon API as the source of a backup (backup only). */
public final class NeonOptions {
  @Option(
      names = "--neon-api-key",
      paramLabel = "KEY",
      description = "A Neon API key (a secret): with neon-project-id, the databases, roles and"
          + " passwords come from the Neon API, and database-url becomes optional.")
  String apiKey;

  @Option(
      names = "--neon-project-id",
      paramLabel = "ID",
      description = "The Neon project, e.g. shiny-cloud-12345678.")
  String projectId;

  @Option(
      names = "--neon-branch",
      paramLabel = "BRANCH",
      description = "The branch to back up (id br-... or name; default: the project's default branch).")
  String branch;

  @Option(
      names = "--neon-api-url",
      paramLabel = "URL",
      description = "The Neon API (default " + NeonApi.DEFAULT_URL + ").")
  String apiUrl;

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
        apiKey,
        projectId,
        branch,
        apiUrl,
        snapshot,
        snapshotTimestamp,
        context.clock());
  }
}
