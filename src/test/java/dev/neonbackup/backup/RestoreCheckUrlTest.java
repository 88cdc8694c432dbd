package dev.neonbackup.backup;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.store.StorageSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restore drill's URL: one database at a time; which one the servers decide before the dump. */
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

  /** The servers decide (SameDatabaseIT): text alike or not proves nothing either way. */
  @Test
  void leaves_the_same_database_question_to_the_servers() {
    BackupSettings settings =
        settings(
            "postgresql://u:p@ep-a-1-pooler.us-east-2.aws.neon.tech/neondb",
            "postgresql://u:p@ep-a-1.us-east-2.aws.neon.tech/neondb?sslmode=require",
            DatabaseInputs.none());
    assertEquals("restore-check-url", settings.restoreCheck().orElseThrow().inputName());
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

  @Test
  void refuses_a_scratch_database_whose_attempts_may_reach_different_servers() {
    for (String spelling :
        new String[] {
          "postgresql://u:p@a,b/drill?load_balance_hosts=random",
          "host=a,b dbname=drill load_balance_hosts=RANDOM"
        }) {
      InputException refused =
          assertThrows(
              InputException.class,
              () -> settings("postgresql://u:p@host/neondb", spelling, DatabaseInputs.none()));
      assertTrue(
          refused.getMessage().startsWith("restore-check-url: load_balance_hosts=random is refused"),
          refused.getMessage());
    }
    settings(
        "postgresql://u:p@host/neondb",
        "postgresql://u:p@a,b/drill?load_balance_hosts=disable",
        DatabaseInputs.none());
  }
}
