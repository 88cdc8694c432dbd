package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.postgres.RolesDump;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import java.nio.charset.StandardCharsets;

/** The cluster's roles, stored once per run beside the archives (include-roles). */
final class RolesBackup {
  /** Like archive keys: the run's own second, or the next free one if another run took it. */
  private static final int MAX_SECONDS = 60;

  private final Reporter reporter;
  private final BackupStore store;

  RolesBackup(Reporter reporter, BackupStore store) {
    this.reporter = reporter;
    this.store = store;
  }

  ObjectLocation run(RunPlan plan) {
    String script =
        RolesDump.dump(plan.client(), plan.connection(), reporter.redactor(), reporter::detail);
    byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
    String prefix = plan.settings().storage().prefix();
    for (int attempt = 0; attempt < MAX_SECONDS; attempt++) {
      String key = BackupKey.rolesKey(prefix, plan.runStamp().plusSeconds(attempt));
      ObjectLocation location = store.at(key);
      try (ShutdownPath.Section publishing =
          ShutdownPath.process().publishAlone("the roles script " + location.url())) {
        if (store.putIfAbsent(key, bytes, "application/sql")) {
          publishing.published();
          reporter.info("stored the roles at " + location.url());
          return location;
        }
      }
    }
    throw new StorageException(
        "could not store the roles: no free key within a minute of "
            + BackupKey.rolesKey(prefix, plan.runStamp()),
        null);
  }
}
