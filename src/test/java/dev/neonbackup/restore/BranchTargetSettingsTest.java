package dev.neonbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.neon.NeonApi;
import dev.neonbackup.store.ChecksumMode;
import dev.neonbackup.store.StorageSettings;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BranchTargetSettingsTest {
  private static final String KEY = "napi_" + "k".repeat(40);
  private static final BranchTargetSettings.NeonInputValues NEON =
      new BranchTargetSettings.NeonInputValues(KEY, "shiny-cloud-12345678", null, null);

  private static Optional<BranchTargetSettings> of(
      String branch, Duration ttl, String targetUrl, BranchTargetSettings.NeonInputValues neon) {
    return BranchTargetSettings.of(branch, ttl, targetUrl, neon, true);
  }

  private static String refused(
      String branch, Duration ttl, String targetUrl, BranchTargetSettings.NeonInputValues neon) {
    return assertThrows(InputException.class, () -> of(branch, ttl, targetUrl, neon)).getMessage();
  }

  @Test
  void without_target_branch_there_is_none_and_the_neon_inputs_are_not_read() {
    assertEquals(Optional.empty(), of(null, null, "postgresql://u@h/db", NEON));
    assertEquals(Optional.empty(), of(" ", null, null, BranchTargetSettings.NeonInputValues.none()));
  }

  /**
   * neon-branch on a restore into target-url reads as "restore into that branch", which it is not:
   * refused rather than ignored; so is neon-api-url, which nothing would call.
   */
  @Test
  void neon_branch_or_neon_api_url_without_target_branch_is_refused_not_ignored() {
    String branch =
        refused(null, null, "postgresql://u@h/db", new BranchTargetSettings.NeonInputValues(KEY, "p-1", "dev", null));
    assertTrue(branch.startsWith("neon-branch picks the parent of target-branch"), branch);
    String api =
        refused(" ", null, "postgresql://u@h/db", new BranchTargetSettings.NeonInputValues(null, null, null, "https://neon-proxy.example/api/v2"));
    assertTrue(api.startsWith("neon-api-url is used with target-branch only"), api);
    assertEquals(
        Optional.empty(),
        of(null, null, "postgresql://u@h/db", new BranchTargetSettings.NeonInputValues(null, null, null, "https://console.neon.tech/api/v2")),
        "Neon's own URL, action.yml's default, which the runner sets in every run, is no choice");
  }

  @Test
  void a_target_branch_takes_the_neon_inputs_and_their_defaults() {
    BranchTargetSettings settings = of(" tuesday-copy ", null, "", NEON).orElseThrow();
    assertEquals("tuesday-copy", settings.name());
    assertEquals(Optional.empty(), settings.ttl(), "no expiry unless asked");
    assertEquals(KEY, settings.apiKey().reveal());
    assertEquals("shiny-cloud-12345678", settings.projectId());
    assertEquals(Optional.empty(), settings.parent(), "the default branch");
    assertEquals(NeonApi.DEFAULT_URL, settings.apiUrl().toString());
    BranchTargetSettings child =
        of("x", Duration.ofDays(7), null, new BranchTargetSettings.NeonInputValues(KEY, "p-1", "dev", "http://127.0.0.1:9/api/v2"))
            .orElseThrow();
    assertEquals(Optional.of(Duration.ofDays(7)), child.ttl());
    assertEquals(Optional.of("dev"), child.parent());
  }

  @Test
  void target_url_with_target_branch_is_refused_naming_both() {
    String message = refused("copy", null, "postgresql://u@h/db", NEON);
    assertTrue(message.startsWith("target-url and target-branch are exclusive"), message);
  }

  @Test
  void target_branch_needs_the_key_and_the_project_and_names_the_missing_one() {
    assertTrue(
        refused("copy", null, null, new BranchTargetSettings.NeonInputValues(null, "p-1", null, null))
            .startsWith("target-branch needs neon-api-key"));
    String noProject = refused("copy", null, null, new BranchTargetSettings.NeonInputValues(KEY, " ", null, null));
    assertTrue(noProject.startsWith("target-branch needs neon-project-id"), noProject);
    assertFalse(noProject.contains(KEY));
  }

  @Test
  void a_ttl_needs_target_branch_and_at_least_an_hour() {
    assertEquals("target-branch-ttl needs target-branch", refused(null, Duration.ofDays(1), "postgresql://u@h/db", NEON));
    assertTrue(refused("copy", Duration.ofMinutes(59), null, NEON).startsWith("target-branch-ttl must be at least 1h"));
    assertEquals(Optional.of(Duration.ofHours(1)), of("copy", Duration.ofHours(1), null, NEON).orElseThrow().ttl());
  }

  @Test
  void a_bad_name_is_refused_before_the_neon_inputs_are_checked() {
    assertTrue(
        refused("a\nb", null, null, BranchTargetSettings.NeonInputValues.none()).startsWith("target-branch must be"));
  }

  @Test
  void restore_settings_without_target_url_or_target_branch_name_both() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> RestoreSettings.builder().backupKey("latest").storage(BranchTargetSettingsTest::storage).build());
    assertTrue(e.getMessage().startsWith("target-url is required (the database to restore into), or target-branch"), e.getMessage());
  }

  @Test
  void restore_settings_with_target_branch_have_no_target_until_the_branch_is_made() {
    RestoreSettings settings =
        RestoreSettings.builder()
            .backupKey("latest")
            .targetBranch("copy")
            .neon(NEON)
            .storage(BranchTargetSettingsTest::storage)
            .build();
    assertEquals(Optional.empty(), settings.into());
    assertThrows(IllegalStateException.class, settings::target);
    assertTrue(settings.secrets().stream().anyMatch(secret -> secret.reveal().equals(KEY)), "the key is masked");
    var made = dev.neonbackup.postgres.ConnectionString.parse("postgresql://o:pw@ep-x.aws.neon.tech/neondb", "t");
    assertEquals(made, settings.withTarget(made).target());
  }

  /** A name in the backup's own pattern would be swept by a later backup and adopted on a 409. */
  @Test
  void a_name_in_the_backups_own_pattern_is_refused() {
    for (String name : new String[] {"neon-backup-20261130T000000Z-abcdef", "neon-backup-20261130T000000Z"}) {
      String message = refused(name, null, null, NEON);
      assertTrue(message.startsWith("target-branch must not take the form of the backup's temporary branches"), message);
    }
    assertTrue(of("neon-backup-copy", null, null, NEON).isPresent(), "other names with the prefix are fine");
  }

  private static StorageSettings storage() {
    return new StorageSettings(
        "backups", "neon-backups/", "us-east-1", Optional.empty(), false, Optional.empty(), ChecksumMode.AUTO,
        dev.neonbackup.store.ServerSide.NONE, Optional.empty());
  }
}
