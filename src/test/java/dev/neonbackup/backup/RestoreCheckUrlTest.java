package dev.neonbackup.backup;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.store.StorageSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restore drill empties its database: it must never be the one being backed up. */
class RestoreCheckUrlTest {
  private static final StorageSettings.Builder STORAGE = StorageSettings.builder().bucket("bucket");

  private static BackupSettings settings(String source, String scratch, DatabaseInputs reach) {
    return BackupSettings.builder()
        .databaseUrl(source)
        .storage(() -> STORAGE.build(Map.of()))
        .restoreCheckUrl(scratch)
        .reach(() -> reach)
        .build();
  }

  @Test
  void refuses_the_database_being_backed_up_even_through_the_pooler() {
    InputException refused =
        assertThrows(
            InputException.class,
            () ->
                settings(
                    "postgresql://u:p@ep-a-1-pooler.us-east-2.aws.neon.tech/neondb",
                    "postgresql://u:p@ep-a-1.us-east-2.aws.neon.tech/neondb?sslmode=require",
                    DatabaseInputs.none()));
    assertTrue(refused.getMessage().startsWith("restore-check-url names the database being backed up"));
  }

  @Test
  void accepts_another_database_on_the_same_server() {
    BackupSettings settings =
        settings(
            "postgresql://u:p@ep-a-1.us-east-2.aws.neon.tech/neondb",
            "postgresql://u:p@ep-a-1.us-east-2.aws.neon.tech/drill",
            DatabaseInputs.none());
    assertEquals("drill", settings.restoreCheck().orElseThrow().database().orElseThrow());
  }

  @Test
  void refuses_a_drill_for_several_databases() {
    InputException refused =
        assertThrows(
            InputException.class,
            () ->
                settings(
                    "postgresql://u:p@host/neondb",
                    "postgresql://u:p@other/drill",
                    DatabaseInputs.builder().databases("all").build()));
    assertTrue(refused.getMessage().startsWith("restore-check-url checks one database"));
  }
}
