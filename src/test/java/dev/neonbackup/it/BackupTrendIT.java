package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A series of backups, as a nightly schedule makes them: each one compares itself with the ones
 * before it (their manifests), says in its progress lines how far it has got against the previous
 * one, outside the folded pg_dump group, shows the trend in its summary, and warns, yet succeeds,
 * when it shrank more than max-shrink. A restore says how far it has got too.
 */
class BackupTrendIT {
  private static final String FAST_PROGRESS = "-Dneonbackup.progress-interval-millis=20";

  private static PostgresServer postgres;
  private static S3Server s3;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
  }

  @Test
  void a_series_of_backups_shows_its_trend_and_warns_of_a_shrink_past_max_shrink() {
    String database = postgres.uniqueDatabaseName("trend");
    postgres.createDatabase(database);
    // Hashes compress badly, so the archive's size follows the rows kept.
    postgres.execute(
        database,
        "CREATE TABLE events (id int PRIMARY KEY, payload text);"
            + " INSERT INTO events SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text)"
            + " FROM generate_series(1, 60000) g;");
    String bucket = s3.createBucket();

    ProgramRun.Result first = backup(database, bucket);
    assertEquals(0, first.exitCode(), first::describe);
    assertTrue(first.stepSummary().contains("no earlier backup to compare with"), first.stepSummary());
    assertFalse(first.stepSummary().contains("#### Last"), first.stepSummary());

    ProgramRun.Result second = backup(database, bucket);
    assertEquals(0, second.exitCode(), second::describe);
    String summary = second.stepSummary();
    assertTrue(summary.contains("#### Last 2 backups of `" + database + "`"), summary);
    assertTrue(summary.contains("(this one)"), summary);
    assertTrue(summary.contains("```mermaid\nxychart-beta"), summary);
    assertTrue(summary.contains("against the previous backup |"), summary);
    assertFalse(second.stdout().contains("::warning"), second::describe);
    List<String> progress = progressLines(second);
    assertTrue(
        progress.stream().anyMatch(l -> l.contains("of the previous backup's")),
        () -> "a progress line measured against the first backup\n" + second.describe());
    assertGroupsFoldOnlyChatter(second);

    postgres.execute(database, "DELETE FROM events WHERE id > 6000");
    ProgramRun.Result third = backup(database, bucket);
    assertEquals(0, third.exitCode(), "a shrink warns, the backup stands\n" + third.describe());
    assertTrue(third.stdout().lines().anyMatch(l -> l.startsWith("::warning") && l.contains("more than max-shrink 50%")),
        third::describe);
    String shrunk = third.stepSummary();
    assertTrue(shrunk.contains("#### Last 3 backups"), shrunk);
    assertTrue(shrunk.matches("(?s).*\\*\\*-[89]\\d\\.\\d% against the previous backup, more than max-shrink 50%\\*\\*.*"), shrunk);

    ProgramRun.Result tolerant = backup(database, bucket, "100");
    assertEquals(0, tolerant.exitCode(), tolerant::describe);
    assertFalse(tolerant.stdout().contains("::warning"), "max-shrink 100 never warns\n" + tolerant.describe());
  }

  @Test
  void a_restore_says_how_far_it_has_got_against_the_archives_size() {
    String database = postgres.uniqueDatabaseName("trendrestore");
    postgres.createDatabase(database);
    postgres.execute(
        database,
        "CREATE TABLE t (id int, payload text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 40000) g;");
    String bucket = s3.createBucket();
    ProgramRun.Result backup = backup(database, bucket);
    assertEquals(0, backup.exitCode(), backup::describe);
    String target = postgres.uniqueDatabaseName("trendtarget");
    postgres.createDatabase(target);
    ProgramRun.Result restore =
        ProgramRun.inTempDir()
            .storage(s3, bucket)
            .input("command", "restore")
            .input("backup-key", backup.outputs().get("object-key"))
            .input("target-url", postgres.url(target))
            .env("GITHUB_ACTIONS", "true")
            .jvmOption(FAST_PROGRESS)
            .run();
    assertEquals(0, restore.exitCode(), restore::describe);
    assertTrue(
        progressLines(restore).stream().anyMatch(l -> l.matches(".*progress: .* of .* \\(\\d{1,3}%\\), .*")),
        restore::describe);
  }

  private static ProgramRun.Result backup(String database, String bucket) {
    return backup(database, bucket, "");
  }

  private static ProgramRun.Result backup(String database, String bucket, String maxShrink) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(database))
        .storage(s3, bucket)
        .input("max-shrink", maxShrink)
        .env("GITHUB_ACTIONS", "true")
        .jvmOption(FAST_PROGRESS)
        .run();
  }

  private static List<String> progressLines(ProgramRun.Result run) {
    return run.stderr().lines().filter(l -> l.contains(" progress: ")).toList();
  }

  /**
   * The runner folds what is between ::group:: and ::endgroup:: on stdout; the lines on stderr are
   * interleaved with them in the log. Here only the order on stdout can be checked: groups never
   * nest and are always closed.
   */
  private static void assertGroupsFoldOnlyChatter(ProgramRun.Result run) {
    boolean open = false;
    for (String line : run.stdout().lines().toList()) {
      if (line.startsWith("::group::")) {
        assertFalse(open, run::describe);
        open = true;
      } else if (line.equals("::endgroup::")) {
        assertTrue(open, run::describe);
        open = false;
      }
    }
    assertFalse(open, run::describe);
  }
}
