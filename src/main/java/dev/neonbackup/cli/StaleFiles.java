package dev.neonbackup.cli;

import dev.neonbackup.actions.Console;
import dev.neonbackup.postgres.ServiceFile;
import dev.neonbackup.restore.RestoreService;
import dev.neonbackup.shutdown.TemporaryDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A run killed outright (SIGKILL, a lost machine) cannot clean up: the next run on the same machine
 * removes the temporary directories such a run left (connection files, downloads) once they are a
 * day old, so that no live run's files are touched.
 */
final class StaleFiles {
  static final Duration AGE = Duration.ofDays(1);

  private StaleFiles() {}

  static void sweep(Console console) {
    List<Path> removed =
        TemporaryDirectories.removeStale(
            Path.of(System.getProperty("java.io.tmpdir")),
            List.of(ServiceFile.PREFIX, RestoreService.DOWNLOAD_PREFIX),
            AGE);
    if (!removed.isEmpty()) {
      console.info(
          "removed "
              + removed.size()
              + " temporary director"
              + (removed.size() == 1 ? "y" : "ies")
              + " that a killed run left behind");
    }
  }
}
