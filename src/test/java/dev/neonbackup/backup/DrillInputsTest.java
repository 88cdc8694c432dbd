package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.store.StorageSettings;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which inputs each form of the restore drill needs, refused before anything is dumped. */
class DrillInputsTest {
  private static final String KEY = "napi_abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String RECIPIENT =
      "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

  private static BackupSettings.Builder backup(String snapshot) {
    return BackupSettings.builder()
        .neon(() -> NeonSettings.of(KEY, "p-1", null, null, snapshot, null, Clock.systemUTC()))
        .storage(() -> StorageSettings.builder().bucket("bucket").build(Map.of()));
  }

  private static String refused(BackupSettings.Builder builder) {
    return assertThrows(InputException.class, builder::build).getMessage();
  }

  @Test
  void the_exact_drill_runs_with_a_temporary_branch() {
    BackupSettings settings = backup("branch").restoreCheckBranch(true).build();
    assertTrue(settings.restoreCheckBranch());
    assertEquals(Optional.empty(), settings.restoreCheck());
    assertFalse(backup("branch").build().restoreCheckBranch(), "off unless asked for");
    assertFalse(backup("branch").restoreCheckBranch(false).build().restoreCheckBranch());
  }

  @Test
  void the_exact_drill_without_a_temporary_branch_is_refused_naming_snapshot() {
    for (BackupSettings.Builder builder :
        new BackupSettings.Builder[] {
          backup("none").restoreCheckBranch(true),
          backup(null).restoreCheckBranch(true),
          BackupSettings.builder()
              .databaseUrl("postgresql://u@host/neondb")
              .storage(() -> StorageSettings.builder().bucket("bucket").build(Map.of()))
              .restoreCheckBranch(true)
        }) {
      String message = refused(builder);
      assertTrue(
          message.startsWith("restore-check-branch restores into the temporary branch the run dumps:"
              + " it needs snapshot: branch"),
          message);
    }
  }

  @Test
  void both_forms_of_the_drill_at_once_are_refused() {
    String message =
        refused(backup("branch").restoreCheckBranch(true).restoreCheckUrl("postgresql://u@h/scratch"));
    assertEquals(
        "restore-check-branch and restore-check-url are two forms of the restore drill: give one of"
            + " them",
        message);
  }

  @Test
  void an_encrypted_backup_needs_a_private_key_for_the_exact_drill_too() {
    String message = refused(backup("branch").restoreCheckBranch(true).ageRecipients(RECIPIENT));
    assertTrue(
        message.startsWith("restore-check-branch restores the backup, which age-recipients encrypts:"),
        message);
  }

  @Test
  void the_exact_drill_checks_one_database() {
    String message =
        refused(
            backup("branch")
                .restoreCheckBranch(true)
                .reach(() -> DatabaseInputs.builder().databases("all").build()));
    assertTrue(message.startsWith("restore-check-branch checks one database"), message);
  }

  /**
   * The exact drill compares every table, sequence and large object of the snapshot: options that
   * leave some out of the archive would fail it every night, after the backup. Refused up front.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "--exclude-table=audit", "-T audit", "-Taudit", "--exclude-table-data audit", "-s",
        "-vs", "--schema-only", "-n public", "--schema=app", "-N scratch", "-t orders",
        "--no-large-objects", "-B"
      })
  void options_that_leave_something_out_are_refused_with_the_exact_drill(String options) {
    String message =
        refused(
            backup("branch")
                .restoreCheckBranch(true)
                .pgDumpOptions(dev.neonbackup.postgres.PgDumpOptions.parse(options)));
    assertTrue(
        message.startsWith("restore-check-branch compares everything the snapshot holds, but"
            + " pg-dump-options --"),
        message);
  }

  @Test
  void options_that_leave_nothing_out_are_fine_with_the_exact_drill() {
    assertTrue(
        backup("branch")
            .restoreCheckBranch(true)
            .pgDumpOptions(dev.neonbackup.postgres.PgDumpOptions.parse("-v --no-comments --lock-wait-timeout=30s"))
            .build()
            .restoreCheckBranch());
  }
}
