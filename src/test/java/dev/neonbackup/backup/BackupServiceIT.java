package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.postgres.ArchiveVerifier;
import dev.neonbackup.report.Secret;
import dev.neonbackup.store.StorageSettings;
import dev.neonbackup.actions.Console;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.store.s3.PartSizes;
import dev.neonbackup.store.s3.S3BackupStore;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.S3Server;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backup run in-process, where a test can fix the clock or damage what the verifier sees. */
class BackupServiceIT {
  private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String database;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    database = TestDatabases.withRows(postgres, "svc", 200_000);
  }

  @Test
  void an_archive_that_fails_verification_is_never_published() {
    String bucket = s3.createBucket();
    StringWriter log = new StringWriter();
    FailureException failure =
        assertThrows(
            FailureException.class,
            () ->
                service(bucket, Clock.systemUTC(), zeroBytesFrom(100_000, 64 * 1024), log)
                    .run(settings(bucket, ArchiveVerifier.Mode.FULL)));
    assertEquals(ExitCode.VERIFY, ExitCode.of(failure), failure.getMessage());
    String everything = log + "\n" + failure.getMessage();
    assertFalse(everything.contains(postgres.password()), "no database password in the output");
    assertFalse(everything.contains(s3.secretAccessKey()), "no S3 secret in the output");
    assertTrue(failure.getMessage().startsWith("the archive failed verification"), failure.getMessage());
    assertEquals(List.of(), s3.keys(bucket, ""));
    assertEquals(List.of(), s3.unfinishedUploads(bucket));
  }

  @Test
  void every_verify_mode_stores_the_same_data() {
    for (String mode : List.of("full", "toc", "none")) {
      String bucket = s3.createBucket();
      BackupResult result =
          service(bucket, Clock.systemUTC(), UnaryOperator.identity()).run(settings(bucket, ArchiveVerifier.Mode.parse(mode)));
      assertEquals(mode + (mode.equals("none") ? ": skipped" : ": passed"), result.verification());
      byte[] stored = s3.getObject(bucket, result.location().key());
      assertEquals(result.sizeBytes(), stored.length);
      Manifest manifest =
          Manifest.parse(new String(s3.getObject(bucket, result.manifestLocation().key()))).orElseThrow();
      assertEquals(result.sha256(), manifest.sha256());
      assertEquals(result.sizeBytes(), manifest.sizeBytes());
      assertEquals(mode, manifest.verification());
      assertEquals(database, manifest.database());
      assertEquals(result.location().key(), manifest.objectKey());
      assertFalse(manifest.finishedAt().isBefore(manifest.startedAt()));
    }
  }

  @Test
  void two_runs_for_the_same_database_in_the_same_second_both_succeed_with_their_own_keys()
      throws Exception {
    String bucket = s3.createBucket();
    Clock frozen = Clock.fixed(NOON, ZoneOffset.UTC);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<BackupResult> first =
          CompletableFuture.supplyAsync(
              () -> service(bucket, frozen, UnaryOperator.identity()).run(settings(bucket, ArchiveVerifier.Mode.FULL)), pool);
      CompletableFuture<BackupResult> second =
          CompletableFuture.supplyAsync(
              () -> service(bucket, frozen, UnaryOperator.identity()).run(settings(bucket, ArchiveVerifier.Mode.FULL)), pool);
      BackupResult a = first.get();
      BackupResult b = second.get();
      assertNotEquals(a.location().key(), b.location().key());
      List<String> expectedKeys =
          List.of(
              new BackupKey("neon-backups/", database, NOON).key(),
              new BackupKey("neon-backups/", database, NOON.plusSeconds(1)).key());
      assertEquals(
          expectedKeys.stream().sorted().toList(),
          List.of(a.location().key(), b.location().key()).stream().sorted().toList());
      for (BackupResult result : List.of(a, b)) {
        byte[] stored = s3.getObject(bucket, result.location().key());
        assertEquals(result.sizeBytes(), stored.length, "each object is its own run's archive");
        assertEquals(result.sha256(), BackupRoundTripSha.of(stored));
      }
      assertEquals(List.of(), s3.unfinishedUploads(bucket));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_second_identical_clock_never_overwrites_the_first_archive() {
    String bucket = s3.createBucket();
    Clock frozen = Clock.fixed(NOON, ZoneOffset.UTC);
    BackupResult first = service(bucket, frozen, UnaryOperator.identity()).run(settings(bucket, ArchiveVerifier.Mode.NONE));
    byte[] before = s3.getObject(bucket, first.location().key());
    BackupResult second = service(bucket, frozen, UnaryOperator.identity()).run(settings(bucket, ArchiveVerifier.Mode.NONE));
    assertNotEquals(first.location().key(), second.location().key());
    assertArrayEquals(before, s3.getObject(bucket, first.location().key()));
  }

  @Test
  void retention_deletes_only_this_databases_old_archives_with_their_manifests() {
    String bucket = s3.createBucket();
    List<String> old = seedOldArchives(bucket);
    List<String> foreign = seedForeignObjects(bucket);
    BackupResult result =
        service(bucket, Clock.systemUTC(), UnaryOperator.identity())
            .run(settings(bucket, ArchiveVerifier.Mode.TOC, retention(2, null)));
    List<String> remaining = s3.keys(bucket, "");
    String newest = old.get(old.size() - 1);
    assertEquals(
        sorted(
            List.of(
                result.location().key(),
                result.manifestLocation().key(),
                newest,
                newest + ".json"),
            foreign),
        remaining);
    assertEquals(old.size() - 1, result.retentionDeleted());
  }

  @Test
  void a_retention_dry_run_deletes_nothing() {
    String bucket = s3.createBucket();
    seedOldArchives(bucket);
    seedForeignObjects(bucket);
    List<String> before = s3.keys(bucket, "");
    BackupResult result =
        service(bucket, Clock.systemUTC(), UnaryOperator.identity())
            .run(settings(bucket, ArchiveVerifier.Mode.NONE, retention(1, true)));
    List<String> after = s3.keys(bucket, "");
    after.removeAll(List.of(result.location().key(), result.manifestLocation().key()));
    assertEquals(before, after);
    assertEquals(0, result.retentionDeleted());
    assertEquals(5, result.retention().orElseThrow().deleted().size(), "it says what it would delete");
  }

  @Test
  void retention_never_runs_when_the_backup_fails() {
    String bucket = s3.createBucket();
    seedOldArchives(bucket);
    List<String> before = s3.keys(bucket, "");
    BackupSettings failing =
        BackupSettings.builder()
            .databaseUrl(postgres.urlWithPassword(database, "wrong-password"))
            .storage(() -> storage(bucket).build(Map.of()))
            .verify(ArchiveVerifier.Mode.FULL)
            .retention(retention(1, null))
            .build();
    FailureException failure =
        assertThrows(
            FailureException.class,
            () -> service(bucket, Clock.systemUTC(), UnaryOperator.identity()).run(failing));
    assertEquals(ExitCode.DATABASE, ExitCode.of(failure));
    assertEquals(before, s3.keys(bucket, ""));
  }

  /** Five old archives of the database (with manifests), a day apart, oldest first. */
  private static List<String> seedOldArchives(String bucket) {
    List<String> keys = new java.util.ArrayList<>();
    for (int daysAgo = 5; daysAgo >= 1; daysAgo--) {
      String key =
          new BackupKey("neon-backups/", database, Instant.now().minus(Duration.ofDays(daysAgo)))
              .key();
      byte[] archive = "old archive".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      s3.putObject(bucket, key, archive);
      // A manifest that matches it: retention counts and deletes only what this tool published.
      s3.putObject(
          bucket,
          key + ".json",
          dev.neonbackup.catalog.Manifest.builder().manifestVersion(1).toolVersion("test")
              .database(database).objectKey(key).serverVersion("16").pgDumpVersion("16")
              .compression("default").startedAt(Instant.EPOCH).finishedAt(Instant.EPOCH)
              .sizeBytes(archive.length).sha256("ab".repeat(32)).verification("none")
              .verificationResult("skipped").build().toJson()
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      keys.add(key);
    }
    return keys;
  }

  /** Objects retention must never touch: a stranger's file, and databases sharing the prefix. */
  private static List<String> seedForeignObjects(String bucket) {
    List<String> keys =
        List.of(
            "neon-backups/" + database + "/notes.txt",
            "neon-backups/" + database + "/" + database + "-20200101T000000Z.dump.bak",
            "neon-backups/" + database + "2/" + database + "2-20200101T000000Z.dump",
            "neon-backups/other/other-20200101T000000Z.dump",
            "elsewhere/" + database + "/" + database + "-20200101T000000Z.dump");
    keys.forEach(key -> s3.putObject(bucket, key, "not ours".getBytes()));
    return keys;
  }

  @SafeVarargs
  private static List<String> sorted(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).sorted().toList();
  }

  private static RetentionInputs retention(Integer keepLast, Boolean dryRun) {
    return RetentionInputs.builder().keepLast(keepLast).dryRun(dryRun).build();
  }

  private static BackupSettings settings(String bucket, ArchiveVerifier.Mode verify) {
    return settings(bucket, verify, RetentionInputs.none());
  }

  private static StorageSettings.Builder storage(String bucket) {
    return StorageSettings.builder()
        .bucket(bucket)
        .region(s3.region())
        .endpoint(s3.endpoint())
        .forcePathStyle(true)
        .accessKeyId(s3.accessKeyId())
        .secretAccessKey(Secret.of(s3.secretAccessKey()));
  }

  private static BackupSettings settings(
      String bucket, ArchiveVerifier.Mode verify, RetentionInputs retention) {
    return BackupSettings.builder()
        .databaseUrl(postgres.url(database))
        .storage(() -> storage(bucket).build(Map.of()))
        .verify(verify)
        .retention(retention)
        .build();
  }

  private static BackupService service(
      String bucket, Clock clock, UnaryOperator<OutputStream> verifierTap) {
    return service(bucket, clock, verifierTap, new StringWriter());
  }

  private static BackupService service(
      String bucket, Clock clock, UnaryOperator<OutputStream> verifierTap, StringWriter log) {
    Console console = new Console(new PrintWriter(log), new PrintWriter(log), false, clock);
    return new BackupService(
        console,
        clock,
        new S3BackupStore(s3.client(), bucket, PartSizes.standard(), false),
        PgClients.DEBIAN_ROOT,
        Duration.ofSeconds(10),
        "test",
        verifierTap);
  }

  /** A tap that replaces {@code length} bytes from {@code offset} with zeros, on the way to the verifier only. */
  private static UnaryOperator<OutputStream> zeroBytesFrom(long offset, int length) {
    return target ->
        new FilterOutputStream(target) {
          private long position;

          @Override
          public void write(byte[] data, int off, int len) throws IOException {
            byte[] copy = java.util.Arrays.copyOfRange(data, off, off + len);
            for (int i = 0; i < len; i++) {
              long at = position + i;
              if (at >= offset && at < offset + length) {
                copy[i] = 0;
              }
            }
            position += len;
            out.write(copy, 0, len);
          }
        };
  }

  /** SHA-256 in hex, as the outputs report it. */
  static final class BackupRoundTripSha {
    static String of(byte[] data) throws Exception {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }
  }
}
