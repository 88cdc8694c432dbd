package dev.neonbackup.backup;

import dev.neonbackup.crypto.AgeIdentity;
import dev.neonbackup.crypto.AgeRecipients;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.ConnectionString;
import dev.neonbackup.postgres.PgDumpOptions;
import java.util.List;
import dev.neonbackup.store.ServerSide;
import dev.neonbackup.store.StorageSettings;
import java.util.Optional;

/**
 * What each form of the restore drill needs of the other inputs, checked before anything is
 * dumped; {@code input} names the drill's own input in the messages.
 */
final class DrillInputs {
  private DrillInputs() {}

  /** The drill reads the archive right after it is stored, which S3 refuses for GLACIER classes. */
  static void refuseFrozen(StorageSettings storage, String input) {
    storage.serverSide().storageClass().filter(ServerSide::needsThaw).ifPresent(frozen -> {
      throw new InputException(
          input + " restores the archive right after the backup, but s3-storage-class "
              + frozen + " keeps it unreadable until a thaw: use GLACIER_IR (read at once),"
              + " or leave " + input + " out");
    });
  }

  /**
   * The drill restores the stored, encrypted archive, so it needs a private key of one of the
   * recipients; without one, the run would fail only after the dump.
   */
  static void requireIdentity(
      AgeRecipients recipients, Optional<AgeIdentity> identity, String input) {
    if (identity.isEmpty()) {
      throw new InputException(
          input + " restores the backup, which age-recipients encrypts: set age-identity"
              + " (the private key of one recipient) for the drill, or leave " + input + " out");
    }
    if (identity.get().publicKeys().stream().noneMatch(recipients.publicKeys()::contains)) {
      throw new InputException(
          "age-identity (public key " + String.join(", ", identity.get().publicKeys())
              + ") is none of age-recipients: the restore drill could not decrypt the backup");
    }
  }

  /**
   * The restore drill checks one database. Whether its database is the one being backed up is not
   * told by the text of the two connection strings (one server has many spellings): the servers
   * are asked before the dump, see {@code RunPreparation}.
   */
  static void refuseSeveralDatabases(DatabaseInputs reach, String input) {
    if (reach.selection().all() || reach.selection().named().size() > 1) {
      throw new InputException(
          input + " checks one database; leave it out when databases selects several");
    }
  }

  /**
   * The exact drill restores into a new database of the temporary branch the run dumps: it needs
   * that branch, and is the other form of restore-check-url, not an addition to it.
   */
  static String inBranch(
      Optional<ConnectionString> restoreCheck, Optional<NeonSettings> neon, List<String> pgDumpOptions) {
    if (restoreCheck.isPresent()) {
      throw new InputException(
          BackupSettings.RESTORE_CHECK_BRANCH + " and " + BackupSettings.RESTORE_CHECK_URL + " are two forms of the restore"
              + " drill: give one of them");
    }
    if (neon.isEmpty() || !neon.get().temporaryBranch()) {
      throw new InputException(
          BackupSettings.RESTORE_CHECK_BRANCH + " restores into the temporary branch the run dumps: it needs "
              + NeonSettings.SNAPSHOT + ": branch, with neon-api-key and neon-project-id");
    }
    PgDumpOptions.namesIn(pgDumpOptions).stream().filter(LEAVE_OUT::contains).findFirst()
        .ifPresent(option -> {
          throw new InputException(
              BackupSettings.RESTORE_CHECK_BRANCH + " compares everything the snapshot holds, but "
                  + PgDumpOptions.INPUT + " --" + option + " leaves some of it out of the archive:"
                  + " the drill would fail every run. Leave one of the two out");
        });
    return BackupSettings.RESTORE_CHECK_BRANCH;
  }

  /** pg_dump's options that leave tables, their rows, sequences or large objects out. */
  private static final java.util.Set<String> LEAVE_OUT =
      java.util.Set.of(
          "schema-only", "schema", "exclude-schema", "table", "exclude-table",
          "exclude-table-data", "no-large-objects", "no-blobs", "filter", "table-and-children",
          "exclude-table-and-children", "exclude-table-data-and-children", "no-data",
          "extension", "exclude-extension");
}
