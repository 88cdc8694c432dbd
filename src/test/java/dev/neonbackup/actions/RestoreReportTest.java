package dev.neonbackup.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.restore.BranchTarget;
import dev.neonbackup.restore.RestoreService;
import dev.neonbackup.store.ObjectLocation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestoreReportTest {
  private static final String KEY = "neon-backups/app/app-20261121T120000Z.dump";
  private static final RestoreService.Restored RESTORED =
      new RestoreService.Restored(
          new ObjectLocation("bucket", KEY), 1234, "ab".repeat(32), "17.6",
          "postgresql://alex:***@db.example/restored", 12.345, 4);

  @Test
  void outputs_are_the_key_the_redacted_target_duration_client_and_table_count() {
    Map<String, String> outputs = RestoreReport.outputs(RESTORED);
    assertEquals(
        List.of("object-key", "target-url", "duration-seconds", "pg-restore-version", "tables-restored"),
        List.copyOf(outputs.keySet()));
    assertEquals(
        List.of(KEY, "postgresql://alex:***@db.example/restored", "12.3", "17.6", "4"),
        List.copyOf(outputs.values()));
  }

  @Test
  void the_summary_is_a_table_of_what_was_restored_where() {
    String markdown = RestoreReport.summary(RESTORED);
    assertTrue(markdown.startsWith("### Neon restore: `" + KEY + "`\n\n| | |\n|---|---|\n"), markdown);
    assertTrue(markdown.contains("| Object | `s3://bucket/" + KEY + "` |\n"), markdown);
    assertTrue(markdown.contains("| Into | `postgresql://alex:***@db.example/restored` |\n"), markdown);
    assertTrue(markdown.contains("| Duration | 12.3 s |\n| pg_restore | 17.6 |\n| Tables restored | 4 |\n"), markdown);
  }

  @Test
  void a_restore_into_a_new_branch_adds_its_name_id_expiry_and_console_page() {
    String console = "https://console.neon.tech/app/projects/shiny-cloud-1/branches/br-aged-salad-1";
    BranchTarget.Result result =
        new BranchTarget.Result(
            RESTORED,
            new BranchTarget.Made(
                "tuesday-copy", "br-aged-salad-1", "main", console, RESTORED.target(),
                Optional.of(Instant.parse("2026-11-28T12:00:00Z"))));
    Map<String, String> outputs = RestoreReport.outputs(result);
    assertEquals("tuesday-copy", outputs.get("target-branch"));
    assertEquals("br-aged-salad-1", outputs.get("target-branch-id"));
    assertEquals("postgresql://alex:***@db.example/restored", outputs.get("target-url"));
    String markdown = RestoreReport.summary(result);
    assertTrue(markdown.startsWith(RestoreReport.summary(RESTORED)), markdown);
    assertTrue(markdown.contains("| Branch | `tuesday-copy` (`br-aged-salad-1`), made from `main` |\n"), markdown);
    assertTrue(markdown.contains("| Expires | 2026-11-28T12:00:00Z |\n"), markdown);
    assertTrue(markdown.endsWith("| Console | " + console + " |\n"), markdown);
    BranchTarget.Result kept =
        new BranchTarget.Result(
            RESTORED, new BranchTarget.Made("t", "br-x", "main", console, "", Optional.empty()));
    assertTrue(RestoreReport.summary(kept).contains("| Expires | never (delete it when done) |"));
  }
}
