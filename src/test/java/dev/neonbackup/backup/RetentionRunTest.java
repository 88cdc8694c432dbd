package dev.neonbackup.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.testing.MemoryStore;
import dev.neonbackup.testing.MemoryStore.Operation;
import dev.neonbackup.testing.RecordingReporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RetentionRunTest {
  private static final String PREFIX = "neon-backups/";
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final BackupKey JUST_STORED = new BackupKey(PREFIX, "app", NOW);
  private static final List<String> FOREIGN =
      List.of(
          PREFIX + "app/notes.txt",
          PREFIX + "app/app-20200101T000000Z.dump.bak",
          PREFIX + "app2/app2-20200101T000000Z.dump",
          PREFIX + "other/other-20200101T000000Z.dump");

  private final MemoryStore store = new MemoryStore();
  private final RecordingReporter reporter = new RecordingReporter();

  @Test
  void deletes_old_archives_with_their_manifests_and_keeps_what_the_policy_keeps() {
    List<String> old = seedArchivesDaysAgo(5);
    FOREIGN.forEach(key -> store.put(key, new byte[] {0}));
    RetentionOutcome outcome = run(keepLast(2), false);
    String newestOld = old.get(old.size() - 1);
    List<String> expected =
        sorted(List.of(JUST_STORED.key(), JUST_STORED.manifestKey(), newestOld, newestOld + ".json"), FOREIGN);
    assertEquals(expected, store.keys());
    assertEquals(List.of(JUST_STORED.key(), newestOld), outcome.kept());
    assertEquals(old.subList(0, 4), outcome.deleted());
    assertTrue(
        reporter.lines(RecordingReporter.Level.INFO)
            .contains("retention: deleted " + old.get(0) + " and its manifest"),
        reporter.transcript());
  }

  @Test
  void counts_and_deletes_only_archives_whose_manifest_matches_them_and_reports_the_others() {
    List<String> old = seedArchivesDaysAgo(3);
    String bare = new BackupKey(PREFIX, "app", NOW.minus(Duration.ofDays(9))).key();
    store.put(bare, new byte[] {1, 2, 3});
    String truncated = new BackupKey(PREFIX, "app", NOW.minus(Duration.ofDays(8))).key();
    store.put(truncated, new byte[] {1, 2, 3});
    store.put(truncated + ".json", manifestOf(truncated, 3).substring(0, 40).getBytes(StandardCharsets.UTF_8));
    String wrongSize = new BackupKey(PREFIX, "app", NOW.minus(Duration.ofDays(7))).key();
    store.put(wrongSize, new byte[] {1, 2, 3, 4});
    store.put(wrongSize + ".json", manifestOf(wrongSize, 3).getBytes(StandardCharsets.UTF_8));
    String foreignFuture = new BackupKey(PREFIX, "app", Instant.parse("9999-12-31T23:59:59Z")).key();
    store.put(foreignFuture, new byte[8]);

    RetentionOutcome outcome = run(keepLast(2), false);

    assertEquals(List.of(JUST_STORED.key(), old.get(2)), outcome.kept());
    assertEquals(old.subList(0, 2), outcome.deleted());
    for (String unmanaged : List.of(bare, truncated, wrongSize, foreignFuture)) {
      assertTrue(store.keys().contains(unmanaged), unmanaged);
      assertTrue(
          reporter.lines(RecordingReporter.Level.WARN).stream()
              .anyMatch(line -> line.contains("(unmanaged)") && line.contains(unmanaged)),
          reporter.transcript());
    }
  }

  @Test
  void a_dry_run_deletes_nothing_and_says_what_it_would_delete() {
    List<String> old = seedArchivesDaysAgo(3);
    List<String> before = store.keys();
    RetentionOutcome outcome = run(keepLast(1), true);
    assertEquals(before, store.keys());
    assertEquals(List.of(), store.deleteRequests());
    assertEquals(old, outcome.deleted());
    assertTrue(outcome.dryRun());
    assertTrue(
        reporter.lines(RecordingReporter.Level.INFO)
            .contains("retention (dry run): would delete " + old.get(0)),
        reporter.transcript());
  }

  @Test
  void a_failed_list_is_an_after_publish_failure_of_retention() {
    seedArchivesDaysAgo(3);
    store.fail(Operation.LIST);
    assertRetentionFailed(assertThrows(FailureException.class, () -> run(keepLast(1), false)));
    assertEquals(List.of(), store.deleteRequests());
  }

  @Test
  void a_failed_delete_is_an_after_publish_failure_of_retention_that_keeps_the_objects() {
    seedArchivesDaysAgo(3);
    List<String> before = store.keys();
    store.fail(Operation.DELETE);
    assertRetentionFailed(assertThrows(FailureException.class, () -> run(keepLast(1), false)));
    assertEquals(before, store.keys());
  }

  @Test
  void archives_go_a_thousand_a_request_and_their_manifests_in_the_request_after() {
    List<String> old = seedArchivesSecondsAgo(1_200);
    RetentionOutcome outcome = run(keepLast(1), false);
    assertEquals(1_200, outcome.deleted().size());
    List<List<String>> requests = store.deleteRequests();
    assertEquals(List.of(1_000, 1_000, 200, 200), requests.stream().map(List::size).toList());
    for (int i = 0; i < requests.size(); i += 2) {
      List<String> archives = requests.get(i);
      assertTrue(archives.stream().allMatch(k -> !k.endsWith(".json")), "archives first");
      assertEquals(archives.stream().map(k -> k + ".json").toList(), requests.get(i + 1));
    }
    assertEquals(sorted(old), sorted(requests.stream().flatMap(List::stream).toList()));
    assertEquals(List.of(JUST_STORED.key(), JUST_STORED.manifestKey()), store.keys());
  }

  @Test
  void an_archive_s3_keeps_is_reported_and_counted_as_kept_and_keeps_its_manifest() {
    List<String> old = seedArchivesDaysAgo(3);
    store.refuseDelete(old.get(0), "kept by the lock (COMPLIANCE) until 2027-01-01T00:00:00Z");
    RetentionOutcome outcome = run(keepLast(1), false);
    assertEquals(old.subList(1, old.size()), outcome.deleted());
    assertTrue(outcome.kept().contains(old.get(0)), outcome.kept().toString());
    assertTrue(store.keys().contains(old.get(0)) && store.keys().contains(old.get(0) + ".json"));
    assertTrue(
        reporter.lines(RecordingReporter.Level.WARN).stream()
            .anyMatch(w -> w.contains("retention: kept " + old.get(0)) && w.contains("until 2027-01-01")),
        reporter.lines(RecordingReporter.Level.WARN).toString());
  }

  @Test
  void a_manifest_s3_keeps_after_its_archive_went_is_a_warning_not_a_failure() {
    List<String> old = seedArchivesDaysAgo(2);
    store.refuseDelete(old.get(0) + ".json", "S3 refused to delete it (AccessDenied)");
    RetentionOutcome outcome = run(keepLast(1), false);
    assertEquals(old, outcome.deleted());
    assertTrue(
        reporter.lines(RecordingReporter.Level.WARN).stream().anyMatch(w -> w.contains("its manifest is kept") && w.contains("AccessDenied")),
        reporter.lines(RecordingReporter.Level.WARN).toString());
  }

  @Test
  void archives_in_the_clear_and_encrypted_ones_are_one_series_to_the_policy() {
    published(JUST_STORED.key());
    List<String> old = new ArrayList<>();
    for (int ago = 4; ago >= 1; ago--) {
      BackupKey key = new BackupKey(PREFIX, "app", NOW.minus(Duration.ofDays(ago)), ago % 2 == 0);
      publishedEncrypted(key.key(), key.encrypted());
      old.add(key.key());
    }
    RetentionOutcome outcome = run(keepLast(3), false);
    assertEquals(List.of(JUST_STORED.key(), old.get(3), old.get(2)), outcome.kept());
    assertEquals(List.of(old.get(0), old.get(1)), outcome.deleted());
    assertTrue(old.get(0).endsWith(".dump.age") && old.get(1).endsWith(".dump"), old.toString());
    assertEquals(
        sorted(List.of(JUST_STORED.key(), JUST_STORED.manifestKey(), old.get(2), old.get(2) + ".json",
            old.get(3), old.get(3) + ".json")),
        store.keys());
  }

  private void publishedEncrypted(String key, boolean encrypted) {
    store.put(key, new byte[] {1, 2, 3});
    Manifest.Builder manifest = Manifest.builder().manifestVersion(Manifest.CURRENT_VERSION).toolVersion("test")
        .database("app").objectKey(key).serverVersion("16.4").pgDumpVersion("16.4")
        .compression("default").startedAt(NOW).finishedAt(NOW).sizeBytes(3)
        .sha256("ab".repeat(32)).verification("none").verificationResult("skipped");
    if (encrypted) {
      manifest.encryption(
          java.util.Optional.of(
              new dev.neonbackup.catalog.ManifestEncryption(
                  List.of("age1recipient"), "cd".repeat(32), 2)));
    }
    store.put(key + ".json", manifest.build().toJson().getBytes(StandardCharsets.UTF_8));
  }

  private RetentionOutcome run(RetentionPolicy policy, boolean dryRun) {
    return new RetentionRun(store, reporter).apply(policy, dryRun, JUST_STORED, NOW);
  }

  private static void assertRetentionFailed(FailureException failure) {
    assertEquals(FailureKind.AFTER_PUBLISH, failure.kind());
    assertTrue(failure.getMessage().startsWith("retention failed: "), failure.getMessage());
    assertInstanceOf(StorageException.class, failure.getCause());
  }

  private static RetentionPolicy keepLast(int n) {
    return RetentionPolicy.parse(String.valueOf(n), null, null, null, null);
  }

  /** The archive just stored and its manifest, and one older archive with its manifest per day. */
  private List<String> seedArchivesDaysAgo(int days) {
    return seed(days, Duration.ofDays(1));
  }

  /** Like {@link #seedArchivesDaysAgo}, a second apart; returns archives and manifests. */
  private List<String> seedArchivesSecondsAgo(int count) {
    List<String> archives = seed(count, Duration.ofSeconds(1));
    return archives.stream().flatMap(key -> Stream.of(key, key + ".json")).toList();
  }

  /** Old archives oldest first, {@code step} apart, each with a manifest; and the one just stored. */
  private List<String> seed(int count, Duration step) {
    published(JUST_STORED.key());
    List<String> archives = new ArrayList<>();
    for (int ago = count; ago >= 1; ago--) {
      String key = new BackupKey(PREFIX, "app", NOW.minus(step.multipliedBy(ago))).key();
      published(key);
      archives.add(key);
    }
    return archives;
  }

  /** An archive of three bytes and the manifest that matches it. */
  private void published(String key) {
    store.put(key, new byte[] {1, 2, 3});
    store.put(key + ".json", manifestOf(key, 3).getBytes(StandardCharsets.UTF_8));
  }

  private static String manifestOf(String key, long size) {
    return Manifest.builder().manifestVersion(Manifest.CURRENT_VERSION).toolVersion("test")
        .database("app").objectKey(key).serverVersion("16.4").pgDumpVersion("16.4")
        .compression("default").startedAt(NOW).finishedAt(NOW).sizeBytes(size)
        .sha256("ab".repeat(32)).verification("none").verificationResult("skipped").build().toJson();
  }

  @SafeVarargs
  private static List<String> sorted(List<String>... lists) {
    return Stream.of(lists).flatMap(List::stream).sorted().toList();
  }
}
