package dev.neonbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.postgres.PgInstallation;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.RecordingReporter;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A manifest-less archive is restored only once pg_restore has read its table of contents. */
class TableOfContentsCheckTest {
  private static final String KEY = "neon-backups/app/app-20261121T120000Z.dump";

  private static byte[] archive;
  private static PgInstallation client;

  private final MemoryStore store = new MemoryStore("backups");
  private final RecordingReporter reporter = new RecordingReporter();

  @BeforeAll
  static void dumpARealArchive() throws IOException, InterruptedException {
    PostgresServer postgres = PostgresServer.shared();
    String database = postgres.uniqueDatabaseName("toc");
    postgres.createDatabase(database);
    postgres.execute(
        database, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 50000) g");
    List<PgInstallation> installed = PgClients.discover(Optional.empty(), PgClients.DEBIAN_ROOT);
    client = installed.get(installed.size() - 1);
    Process pgDump =
        new ProcessBuilder(
                client.tool("pg_dump").toString(), "--format=custom", "--dbname=" + postgres.url(database))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    archive = pgDump.getInputStream().readAllBytes();
    assertEquals(0, pgDump.waitFor());
  }

  private BackupToRestore stored(byte[] content) {
    store.put(KEY, content);
    return new BackupToRestore(store.at(KEY), content.length, Optional.empty(), client.major(), Optional.empty());
  }

  @Test
  void a_whole_archive_passes_and_says_so() {
    TableOfContentsCheck.run(store, reporter, client, stored(archive));
    assertTrue(reporter.transcript().contains("table of contents of s3://backups/" + KEY + " reads"));
  }

  @Test
  void an_archive_whose_table_of_contents_is_damaged_is_refused_with_exit_6() {
    byte[] damaged = archive.clone();
    Arrays.fill(damaged, 100, 600, (byte) 0xff);
    FailureException failure =
        assertThrows(
            FailureException.class,
            () -> TableOfContentsCheck.run(store, reporter, client, stored(damaged)));
    assertEquals(FailureKind.VERIFY, failure.kind());
    assertTrue(failure.getMessage().contains("has no manifest, and its table of contents does not read"));
    assertTrue(failure.getMessage().endsWith("(the target was not touched)"), failure.getMessage());
  }

  @Test
  void an_archive_cut_inside_its_table_of_contents_is_refused() {
    byte[] cut = Arrays.copyOf(archive, 300);
    FailureException failure =
        assertThrows(
            FailureException.class, () -> TableOfContentsCheck.run(store, reporter, client, stored(cut)));
    assertEquals(FailureKind.VERIFY, failure.kind());
  }
}
