package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.report.Secret;
import dev.neonbackup.restore.RestoreSettings;
import dev.neonbackup.store.StorageSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The secrets a run masks include every secret parameter of every connection string it takes. */
class ConnectionSecretsSettingsTest {
  private static final StorageSettings.Builder STORAGE = StorageSettings.builder().bucket("bucket");

  @Test
  void a_backup_masks_the_key_passphrases_of_database_url_and_restore_check_url() {
    List<Secret> secrets =
        BackupSettings.builder()
            .databaseUrl("postgresql://u@source/db?sslpassword=source-key")
            .restoreCheckUrl("host=drill dbname=drill sslpassword=drill-key password=drill-pw")
            .storage(() -> STORAGE.build(Map.of()))
            .build()
            .secrets();
    assertTrue(secrets.contains(Secret.of("source-key")), "database-url sslpassword");
    assertTrue(secrets.contains(Secret.of("drill-key")), "restore-check-url sslpassword");
    assertTrue(secrets.contains(Secret.of("drill-pw")), "restore-check-url password");
  }

  @Test
  void a_restore_masks_the_key_passphrase_of_target_url() {
    List<Secret> secrets =
        RestoreSettings.builder()
            .backupKey("neon-backups/db/db-20261121T031500Z.dump")
            .targetUrl("postgresql://u:target-pw@target/db?sslpassword=target-key")
            .storage(() -> STORAGE.build(Map.of()))
            .build()
            .secrets();
    assertTrue(secrets.contains(Secret.of("target-key")), "target-url sslpassword");
    assertTrue(secrets.contains(Secret.of("target-pw")), "target-url password");
  }
}
