package dev.neonbackup.backup;

import dev.neonbackup.postgres.ArchiveVerifier;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.store.ChecksumMode;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.MemoryStore.Operation;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.RecordingReporter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backup run in-process against a real server and pg_dump, storing into memory. */
class BackupServiceTest {
  private static final String PREFIX = "neon-backups/";

  private static PostgresServer postgres;
  private static String database;

  private final MemoryStore store = new MemoryStore();
  private final RecordingReporter reporter = new RecordingReporter();

  @BeforeAll
  static void createDatabase() {
    postgres = PostgresServer.shared();
    database = TestDatabases.withRows(postgres, "unit", 50_000);
  }

  @Test
  void a_successful_run_publishes_the_archive_and_its_manifest() throws Exception {
    BackupResult result = service().run(settings(RetentionInputs.none()));
    byte[] archive = store.object(result.location().key());
    assertEquals(result.sizeBytes(), archive.length);
    assertEquals(result.sha256(), sha256(archive));
    Manifest manifest =
        Manifest.parse(new String(store.object(result.manifestLocation().key()), StandardCharsets.UTF_8))
            .orElseThrow();
    assertEquals(result.sha256(), manifest.sha256());
    assertEquals(result.location().key(), manifest.objectKey());
    assertEquals(List.of(result.location().key(), result.manifestLocation().key()), store.keys());
    assertEquals(List.of(), store.unfinishedUploads());
  }

  @Test
  void the_manifest_records_what_the_server_sent_pg_dump_and_the_month_counts_this_backup() {
    BackupResult result = runWithoutRetention();
    long received = result.manifest().receivedBytes().orElseThrow();
    assertTrue(received > result.archiveBytes() / 2, received + " bytes for a table of 50,000 rows");
    Manifest stored =
        Manifest.read(new String(store.object(result.manifestLocation().key()), StandardCharsets.UTF_8));
    assertEquals(result.manifest().receivedBytes(), stored.receivedBytes());
    assertEquals(0, result.earlierThisMonth().orElseThrow().backups(), "an empty bucket");
    assertEquals(received, result.thisMonth().orElseThrow().bytes());
  }

  @Test
  void a_bucket_it_cannot_list_warns_once_and_the_backup_is_made_without_trend_or_month() {
    store.fail(Operation.LIST);
    BackupResult result = runWithoutRetention();
    List<String> warnings = reporter.lines(RecordingReporter.Level.WARN);
    assertEquals(1, warnings.size(), reporter.transcript());
    assertTrue(warnings.get(0).contains("without a size comparison or the month's received bytes"), warnings.get(0));
    assertEquals(Optional.empty(), result.thisMonth());
    assertTrue(result.manifest().receivedBytes().isPresent());
  }

  /**
   * The month's earlier backups are the same for every database of a run: one listing of the
   * prefix and one read of each manifest, not one per database.
   */
  @Test
  void several_databases_read_the_months_backups_once() {
    String second = TestDatabases.withRows(postgres, "unit_two", 10);
    BackupSettings two =
        BackupSettings.builder()
            .databaseUrl(postgres.url(database))
            .storage(BackupServiceTest::storage)
            .verify(ArchiveVerifier.Mode.NONE)
            .reach(() -> DatabaseInputs.builder().databases(database + "," + second).build())
            .build();
    service().runAll(two);
    int listingsOfTwo = store.calls(Operation.LIST);
    MemoryStore alone = new MemoryStore();
    new BackupService(reporter, Clock.systemUTC(), alone, PgClients.DEBIAN_ROOT, Duration.ofSeconds(10), "test")
        .runAll(settings(RetentionInputs.none()));
    assertEquals(alone.calls(Operation.LIST) + 1, listingsOfTwo, "one more listing (the second database's own series), no more");
  }

  @Test
  void a_failed_upload_write_aborts_the_upload_and_is_a_storage_failure() {
    store.failNth(Operation.WRITE, 2);
    FailureException failure = assertThrows(FailureException.class, this::runWithoutRetention);
    assertEquals(ExitCode.STORAGE, ExitCode.of(failure), failure.getMessage());
    assertNothingStored();
  }

  @Test
  void a_failed_completion_leaves_nothing_behind() {
    store.fail(Operation.COMPLETE);
    FailureException failure = assertThrows(FailureException.class, this::runWithoutRetention);
    assertEquals(ExitCode.STORAGE, ExitCode.of(failure), failure.getMessage());
    assertNothingStored();
  }

  @Test
  void a_manifest_write_that_fails_keeps_the_stored_archive_and_reports_after_publish() {
    store.fail(Operation.PUT_IF_ABSENT, key -> key.endsWith(BackupKey.MANIFEST_SUFFIX));
    AfterPublishException failure =
        assertThrows(AfterPublishException.class, this::runWithoutRetention);
    assertEquals(ExitCode.AFTER_PUBLISH, ExitCode.of(failure));
    String archive = failure.stored().location().key();
    assertEquals(List.of(archive), store.keys());
    assertEquals(failure.stored().sha256(), sha256(store.object(archive)));
    assertTrue(
        failure.getMessage().startsWith("the backup is stored and verified at s3://"),
        failure.getMessage());
    assertEquals(List.of(), store.unfinishedUploads());
  }

  @Test
  void a_failed_retention_after_publishing_is_an_after_publish_failure() {
    String old = new BackupKey(PREFIX, database, Instant.now().minus(Duration.ofDays(3))).key();
    store.put(old, new byte[] {1});
    // Retention deletes only what this tool published: an archive with its matching manifest.
    store.put(
        old + ".json",
        dev.neonbackup.catalog.Manifest.builder().manifestVersion(1).toolVersion("test")
            .database(database).objectKey(old).serverVersion("16").pgDumpVersion("16")
            .compression("default").startedAt(Instant.EPOCH).finishedAt(Instant.EPOCH).sizeBytes(1)
            .sha256("ab".repeat(32)).verification("none").verificationResult("skipped").build()
            .toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    store.fail(Operation.DELETE);
    AfterPublishException failure =
        assertThrows(
            AfterPublishException.class,
            () -> service().run(settings(RetentionInputs.builder().keepLast(1).build())));
    assertEquals(ExitCode.AFTER_PUBLISH, ExitCode.of(failure));
    assertTrue(failure.getMessage().contains("retention failed: "), failure.getMessage());
    assertTrue(store.keys().contains(failure.stored().location().key()));
    assertTrue(store.keys().contains(failure.stored().manifestLocation().key()));
    assertTrue(store.keys().contains(old), "the old archive stays");
  }

  @Test
  void a_wrong_password_is_a_database_failure_and_stores_nothing() {
    BackupSettings wrong =
        BackupSettings.builder()
            .databaseUrl(postgres.urlWithPassword(database, "wrong-password"))
            .storage(BackupServiceTest::storage)
            .verify(ArchiveVerifier.Mode.TOC)
            .build();
    FailureException failure = assertThrows(FailureException.class, () -> service().run(wrong));
    assertEquals(ExitCode.DATABASE, ExitCode.of(failure), failure.getMessage());
    assertFalse(failure.getMessage().contains(postgres.password()));
    assertNothingStored();
  }

  private BackupResult runWithoutRetention() {
    return service().run(settings(RetentionInputs.none()));
  }

  private void assertNothingStored() {
    assertEquals(List.of(), store.keys());
    assertEquals(List.of(), store.unfinishedUploads());
  }

  private BackupService service() {
    return new BackupService(
        reporter, Clock.systemUTC(), store, PgClients.DEBIAN_ROOT, Duration.ofSeconds(10), "test");
  }

  private static BackupSettings settings(RetentionInputs retention) {
    return BackupSettings.builder()
        .databaseUrl(postgres.url(database))
        .storage(BackupServiceTest::storage)
        .verify(ArchiveVerifier.Mode.TOC)
        .retention(retention)
        .build();
  }

  private static StorageSettings storage() {
    return StorageSettings.builder().bucket("memory-bucket").prefix(PREFIX).build(Map.of());
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
