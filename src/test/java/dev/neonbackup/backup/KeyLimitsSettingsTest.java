package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.store.StorageSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key S3 cannot take is refused with the settings, before anything runs. */
class KeyLimitsSettingsTest {
  @Test
  void refuses_a_prefix_that_could_make_keys_longer_than_s3_takes_before_anything_runs() {
    StorageSettings.Builder storage =
        StorageSettings.builder().bucket("bucket").prefix("p".repeat(700));
    InputException refused =
        assertThrows(
            InputException.class,
            () ->
                BackupSettings.builder()
                    .databaseUrl("postgresql://u@host/neondb")
                    .storage(() -> storage.build(Map.of()))
                    .build());
    assertTrue(refused.getMessage().startsWith("s3-prefix is too long: 701 bytes"), refused.getMessage());
  }
}
