package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runner sets every input action.yml declares: its default when the workflow gives none, else
 * "". Each command, run with exactly that (every default, the rest blank) and only the inputs a
 * user must give, works: a default is never read as something the user asked for.
 */
class ActionDefaultsIT {
  private final S3Server s3 = S3Server.shared();
  private final PostgresServer postgres = PostgresServer.shared();

  /** A run as the runner starts one: every input, at its default or blank. */
  private static ProgramRun asTheRunnerSetsInputs() {
    ProgramRun run = ProgramRun.inTempDir().env("GITHUB_ACTIONS", "true").timeout(Duration.ofMinutes(2));
    ActionMetadataTest.ActionYml.read()
        .inputs()
        .forEach((name, fields) -> run.input(name, fields.getOrDefault("default", "")));
    return run;
  }

  @Test
  void backup_list_check_and_restore_work_with_every_default_of_action_yml_set() {
    String database = postgres.createUniqueDatabase("defaults");
    postgres.execute(database, "CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)");
    String bucket = s3.createBucket();

    ProgramRun.Result backup =
        asTheRunnerSetsInputs().input("database-url", postgres.url(database)).storage(s3, bucket).run();
    assertEquals(0, backup.exitCode(), backup::describe);

    ProgramRun.Result list = asTheRunnerSetsInputs().input("command", "list").storage(s3, bucket).run();
    assertEquals(0, list.exitCode(), list::describe);

    ProgramRun.Result check = asTheRunnerSetsInputs().input("command", "check").storage(s3, bucket).run();
    assertEquals(0, check.exitCode(), check::describe);

    String target = postgres.createUniqueDatabase("defaults_target");
    ProgramRun.Result restore =
        asTheRunnerSetsInputs()
            .input("command", "restore")
            .input("backup-key", "latest")
            .input("database", database)
            .input("target-url", postgres.url(target))
            .storage(s3, bucket)
            .run();
    assertEquals(0, restore.exitCode(), restore::describe);
    assertEquals("2", dev.neonbackup.testing.PgTools.queryString(postgres, target, "SELECT count(*) FROM t"));
  }
}
