package dev.neonbackup.cli;

import dev.neonbackup.neon.NeonApi;
import dev.neonbackup.restore.BranchTargetSettings;
import picocli.CommandLine.Option;

/** The Neon API and the branch to read (backup) or to branch from (backup, restore). */
final class NeonApiOptions {
  @Option(
      names = "--neon-api-key",
      paramLabel = "KEY",
      description = "A Neon API key (a secret). Backup: with neon-project-id, the databases, roles"
          + " and passwords come from the Neon API, and database-url becomes optional. Restore:"
          + " needed with target-branch.")
  String apiKey;

  @Option(
      names = "--neon-project-id",
      paramLabel = "ID",
      description = "The Neon project, e.g. shiny-cloud-12345678.")
  String projectId;

  @Option(
      names = "--neon-branch",
      paramLabel = "BRANCH",
      description = "The branch to back up, or to branch from (id br-... or name; default: the"
          + " project's default branch).")
  String branch;

  @Option(
      names = "--neon-api-url",
      paramLabel = "URL",
      description = "The Neon API (default " + NeonApi.DEFAULT_URL + ").")
  String apiUrl;

  BranchTargetSettings.NeonInputValues values() {
    return new BranchTargetSettings.NeonInputValues(apiKey, projectId, branch, apiUrl);
  }
}
