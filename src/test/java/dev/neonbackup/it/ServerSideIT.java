package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.ObjectLockProxy;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3MockServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * What S3 is asked to do with the objects a backup writes: SSE-KMS, tags, the archives' storage
 * class and an Object Lock retention date, on every request that creates an object. A real
 * PostgreSQL and pg_dump; S3Mock as the store (it checks KMS key ids and keeps tags and classes),
 * behind {@link ObjectLockProxy}, which records each request and enforces the lock.
 */
class ServerSideIT {
  private static PostgresServer postgres;
  private static S3MockServer s3;
  private static String source;

  private ObjectLockProxy proxy;

  @BeforeAll
  static void sourceDatabase() {
    postgres = PostgresServer.shared();
    s3 = S3MockServer.shared();
    source = postgres.uniqueDatabaseName("serverside");
    postgres.createDatabase(source);
    postgres.execute(source, SampleData.VARIED);
  }

  @BeforeEach
  void proxy() {
    proxy = new ObjectLockProxy(s3);
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  private ProgramRun backup(String bucket) {
    return ProgramRun.inTempDir()
        .input("database-url", postgres.url(source))
        .storage(s3, proxy.endpoint(), bucket)
        .timeout(Duration.ofMinutes(2));
  }

  @Test
  void every_request_that_creates_an_object_carries_sse_tags_and_the_lock_and_archives_the_class() {
    String bucket = s3.createLockedBucket();
    Instant before = Instant.now();
    ProgramRun.Result run =
        backup(bucket)
            .input("include-roles", "true")
            .input("s3-sse", "aws:kms")
            .input("s3-kms-key-id", S3MockServer.KMS_KEY_ID)
            .input("s3-storage-class", "STANDARD_IA")
            .input("s3-tags", "team=data, purpose=nightly backup")
            .input("s3-object-lock-mode", "GOVERNANCE")
            .input("s3-object-lock-days", "2")
            .run();
    assertEquals(0, run.exitCode(), run::describe);
    String key = run.outputs().get("object-key");

    List<ObjectLockProxy.Request> creations =
        proxy.requests().stream().filter(ServerSideIT::createsAnObject).toList();
    assertEquals(
        3,
        creations.size(),
        "the archive's upload, its manifest and the roles file: " + creations);
    for (ObjectLockProxy.Request request : creations) {
      assertEquals("aws:kms", request.headers().get("x-amz-server-side-encryption"), request::toString);
      assertEquals(
          S3MockServer.KMS_KEY_ID,
          request.headers().get("x-amz-server-side-encryption-aws-kms-key-id"),
          request::toString);
      assertEquals("team=data&purpose=nightly%20backup", request.headers().get("x-amz-tagging"), request::toString);
      assertEquals("GOVERNANCE", request.headers().get("x-amz-object-lock-mode"), request::toString);
      Instant until = Instant.parse(request.headers().get("x-amz-object-lock-retain-until-date"));
      assertFalse(until.isBefore(before.plus(Duration.ofDays(2))), request + " until " + until);
      assertTrue(until.isBefore(Instant.now().plus(Duration.ofDays(2))), request + " until " + until);
      boolean archive = request.hasQuery("uploads");
      assertEquals(
          archive ? "STANDARD_IA" : null,
          request.headers().get("x-amz-storage-class"),
          "the class goes on archives only: " + request);
    }
    assertEquals(
        1,
        creations.stream().map(r -> r.headers().get("x-amz-object-lock-retain-until-date")).distinct().count(),
        "one retain-until date for the run: a manifest locked longer than its archive would outlive"
            + " it in retention: " + creations);
    List<ObjectLockProxy.Request> bodies =
        proxy.requests().stream()
            .filter(r -> r.method().equals("PUT") && !r.hasQuery("retention") && !r.hasQuery("tagging"))
            .toList();
    assertFalse(bodies.isEmpty());
    for (ObjectLockProxy.Request request : bodies) {
      assertTrue(
          request.headers().keySet().stream().anyMatch(h -> h.startsWith("x-amz-checksum-")),
          "Object Lock needs a checksum on every part and object, even with an s3-endpoint: "
              + request + " " + request.headers());
    }

    HeadObjectResponse archive = s3.client().headObject(r -> r.bucket(bucket).key(key));
    assertEquals("STANDARD_IA", archive.storageClassAsString());
    // S3Mock keeps SSE for PutObject only; the upload's request carries it (asserted above).
    HeadObjectResponse manifest = s3.client().headObject(r -> r.bucket(bucket).key(key + ".json"));
    assertEquals("aws:kms", manifest.serverSideEncryptionAsString());
    assertEquals(S3MockServer.KMS_KEY_ID, manifest.ssekmsKeyId());
    assertTrue(
        manifest.storageClassAsString() == null || manifest.storageClassAsString().equals("STANDARD"),
        "manifests stay STANDARD: " + manifest.storageClassAsString());
    Map<String, String> tags =
        s3.client().getObjectTagging(r -> r.bucket(bucket).key(key)).tagSet().stream()
            // S3Mock keeps the values as the header carried them, URL-encoded; S3 decodes them.
            .collect(
                Collectors.toMap(
                    Tag::key, t -> URLDecoder.decode(t.value(), StandardCharsets.UTF_8)));
    assertEquals(Map.of("team", "data", "purpose", "nightly backup"), tags);
    assertTrue(
        proxy.lockedVersions().stream().anyMatch(v -> v.startsWith(key + "@"))
            && proxy.lockedVersions().stream().anyMatch(v -> v.startsWith(key + ".json@")),
        "archive and manifest are locked: " + proxy.lockedVersions());
  }

  @Test
  void retention_keeps_locked_archives_then_deletes_them_by_version_id_once_the_lock_ends() {
    String bucket = s3.createLockedBucket();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ProgramRun.Result run = lockedBackup(bucket).input("keep-last", "1").run();
      assertEquals(0, run.exitCode(), run::describe);
      keys.add(run.outputs().get("object-key"));
      if (i == 2) {
        assertEquals("0", run.outputs().get("retention-deleted"), run::describe);
        assertTrue(
            run.stderr().contains("retention: kept " + keys.get(0) + ": kept by the lock (GOVERNANCE) until"),
            run::describe);
      }
    }
    assertTrue(
        proxy.requests().stream().noneMatch(r -> r.method().equals("DELETE")),
        "no delete of a locked version is even tried: " + proxy.requests());
    String folder = keys.get(0).substring(0, keys.get(0).lastIndexOf('/') + 1);
    assertEquals(6, s3.keys(bucket, folder).size(), "three archives and their manifests");

    proxy.expireLocks();
    ProgramRun.Result later = lockedBackup(bucket).input("keep-last", "1").run();
    assertEquals(0, later.exitCode(), later::describe);
    assertEquals("3", later.outputs().get("retention-deleted"), later::describe);
    String newest = later.outputs().get("object-key");
    ListObjectVersionsResponse versions = s3.versions(bucket, folder);
    assertEquals(List.of(), versions.deleteMarkers(), "retention leaves no delete marker");
    assertEquals(
        List.of(newest, newest + ".json"),
        versions.versions().stream().map(v -> v.key()).sorted().toList(),
        "the old archives and manifests are gone, every version of them");
    assertTrue(
        proxy.requests().stream()
            .filter(r -> r.method().equals("DELETE"))
            .allMatch(r -> r.hasQuery("versionId")),
        "every delete names a version");
  }

  @Test
  void in_a_versioned_bucket_without_locks_retention_deletes_versions_and_adds_no_marker() {
    String bucket = s3.createLockedBucket(); // versioned; these backups ask for no lock
    ProgramRun.Result first = backup(bucket).run();
    assertEquals(0, first.exitCode(), first::describe);
    String old = first.outputs().get("object-key");
    proxy.denyVersioningStatus(true);
    ProgramRun.Result blind = backup(bucket).input("keep-last", "1").run();
    assertEquals(0, blind.exitCode(), blind::describe);
    assertTrue(
        blind.stderr().contains("retention: kept " + old + ": not deleted: the credentials may not read"
            + " whether the bucket keeps versions (s3:GetBucketVersioning)"),
        blind::describe);
    assertTrue(s3.keys(bucket, old).contains(old), "kept while the tool cannot tell");

    proxy.denyVersioningStatus(false);
    ProgramRun.Result seeing = backup(bucket).input("keep-last", "1").run();
    assertEquals(0, seeing.exitCode(), seeing::describe);
    assertEquals("2", seeing.outputs().get("retention-deleted"), seeing::describe);
    String folder = old.substring(0, old.lastIndexOf('/') + 1);
    ListObjectVersionsResponse versions = s3.versions(bucket, folder);
    assertEquals(List.of(), versions.deleteMarkers(), "no delete marker of its own");
    assertEquals(2, versions.versions().size(), "only the newest archive and manifest: " + versions.versions());
  }

  @Test
  void a_delete_s3_refuses_is_a_warning_for_that_key_and_the_backup_still_succeeds() {
    String bucket = s3.createLockedBucket();
    ProgramRun.Result first = lockedBackup(bucket).run();
    assertEquals(0, first.exitCode(), first::describe);
    String old = first.outputs().get("object-key");
    proxy.hideRetention(true); // the role may not read the lock, so the delete is tried
    ProgramRun.Result second = lockedBackup(bucket).input("keep-last", "1").run();
    assertEquals(0, second.exitCode(), second::describe);
    assertEquals("0", second.outputs().get("retention-deleted"));
    assertTrue(
        second.stderr().contains("retention: kept " + old + ": S3 refused to delete it (AccessDenied"),
        second::describe);
    assertTrue(s3.keys(bucket, old).contains(old + ".json"), "the manifest stays with its archive");
    assertEquals(List.of(), s3.versions(bucket, old).deleteMarkers());
  }

  @Test
  void a_plain_delete_hides_a_backup_and_restore_brings_it_back_by_its_version_id() {
    String bucket = s3.createLockedBucket();
    ProgramRun.Result backup = lockedBackup(bucket).run();
    assertEquals(0, backup.exitCode(), backup::describe);
    String key = backup.outputs().get("object-key");
    // What a leaked key or ransomware can do even with the lock: a DeleteObject without a version.
    s3.client().deleteObject(r -> r.bucket(bucket).key(key));
    s3.client().deleteObject(r -> r.bucket(bucket).key(key + ".json"));
    String version =
        s3.versions(bucket, key).versions().stream()
            .filter(v -> v.key().equals(key))
            .findFirst()
            .orElseThrow()
            .versionId();

    // S3 lists neither now. S3Mock still lists an object that a multipart upload made after a
    // delete marker hides it (not one that a PutObject made, like the manifest); reads of it answer
    // 404 as on S3, so a restore without the version id fails (below).
    ProgramRun.Result plain = list(bucket).run();
    assertEquals(0, plain.exitCode(), plain::describe);
    assertFalse(plain.stdout().contains("full: passed"), "the manifest is hidden: " + plain.stdout());
    ProgramRun.Result hidden = list(bucket).input("include-hidden", "true").run();
    assertEquals(0, hidden.exitCode(), hidden::describe);
    assertTrue(
        hidden.stdout().contains(key + "  [hidden by a delete marker; version-id " + version + "]"),
        hidden.stdout());
    assertTrue(hidden.stdout().contains("full: passed"), "its manifest is read too: " + hidden.stdout());
    ProgramRun.Result json = ProgramRun.inTempDir().storage(s3, proxy.endpoint(), bucket).args("list", "--include-hidden", "--json").run();
    assertTrue(json.stdout().contains("\"versionId\": \"" + version + "\""), json.stdout());

    String target = postgres.createUniqueDatabase("unhidden");
    ProgramRun.Result restore =
        restore(bucket, key, target).input("version-id", version).run();
    assertEquals(0, restore.exitCode(), restore::describe);
    assertEquals(PgTools.tableFingerprints(postgres, source), PgTools.tableFingerprints(postgres, target));
    assertFalse(restore.stderr().contains("no manifest beside"), "the hidden manifest is checked too");

    ProgramRun.Result without = restore(bucket, key, postgres.createUniqueDatabase("hidden")).run();
    assertEquals(8, without.exitCode(), without::describe);
    ProgramRun.Result noKey =
        restore(bucket, "latest", target).input("database", source).input("version-id", version).run();
    assertEquals(2, noKey.exitCode(), noKey::describe);
    assertTrue(noKey.stderr().contains("version-id needs backup-key"), noKey::describe);
  }

  @Test
  void an_archive_in_glacier_is_listed_as_needing_a_thaw_and_restore_refuses_it_untouched() {
    String bucket = s3.createBucket();
    ProgramRun.Result backup = backup(bucket).input("s3-storage-class", "GLACIER").run();
    assertEquals(0, backup.exitCode(), backup::describe);
    String key = backup.outputs().get("object-key");
    ProgramRun.Result listed = list(bucket).run();
    assertTrue(listed.stdout().contains(key + "  [GLACIER: thaw it (S3 RestoreObject) before a restore]"), listed.stdout());
    ProgramRun.Result json = ProgramRun.inTempDir().storage(s3, proxy.endpoint(), bucket).args("list", "--json").run();
    assertTrue(json.stdout().contains("\"needsThaw\": true"), json.stdout());

    String target = postgres.createUniqueDatabase("frozen");
    postgres.execute(target, "CREATE TABLE sentinel (id int)");
    ProgramRun.Result restore = restore(bucket, key, target).run();
    assertEquals(8, restore.exitCode(), restore::describe);
    assertTrue(restore.stderr().contains("is in GLACIER and not thawed"), restore::describe);
    assertTrue(restore.stderr().contains("aws s3api restore-object --bucket " + bucket + " --key " + key), restore::describe);
    assertEquals("sentinel", PgTools.queryString(postgres, target, "SELECT string_agg(relname, ',') FROM pg_class WHERE relname = 'sentinel'"));

    ProgramRun.Result drill =
        backup(bucket).input("s3-storage-class", "deep_archive").input("restore-check-url", postgres.url(target)).run();
    assertEquals(2, drill.exitCode(), drill::describe);
    assertTrue(drill.stderr().contains("s3-storage-class DEEP_ARCHIVE"), drill::describe);
  }

  @Test
  void an_unknown_kms_key_fails_the_backup_clearly_and_leaves_nothing() {
    String bucket = s3.createBucket();
    ProgramRun.Result run = backup(bucket).input("s3-kms-key-id", "alias/not-a-key-s3-knows").run();
    assertEquals(5, run.exitCode(), run::describe);
    assertTrue(run.stderr().contains("KMS.NotFoundException") && run.stderr().contains("check s3-kms-key-id"), run::describe);
    assertEquals(List.of(), s3.keys(bucket, ""));
    assertEquals(List.of(), s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads());
  }

  @Test
  void object_lock_with_when_required_checksums_is_refused_before_anything_runs() {
    String bucket = s3.createLockedBucket();
    ProgramRun.Result run = lockedBackup(bucket).input("s3-checksum", "when-required").run();
    assertEquals(2, run.exitCode(), run::describe);
    assertTrue(run.stderr().contains("s3-checksum: when-required cannot go with s3-object-lock-mode"), run::describe);
    ProgramRun.Result half = backup(bucket).input("s3-object-lock-days", "30").run();
    assertEquals(2, half.exitCode(), half::describe);
    assertTrue(proxy.requests().isEmpty(), "nothing reached S3: " + proxy.requests());
  }

  private ProgramRun lockedBackup(String bucket) {
    return backup(bucket).input("s3-object-lock-mode", "GOVERNANCE").input("s3-object-lock-days", "1");
  }

  private ProgramRun list(String bucket) {
    return ProgramRun.inTempDir()
        .storage(s3, proxy.endpoint(), bucket)
        .input("command", "list")
        .timeout(Duration.ofMinutes(1));
  }

  private ProgramRun restore(String bucket, String key, String target) {
    return ProgramRun.inTempDir()
        .storage(s3, proxy.endpoint(), bucket)
        .input("command", "restore")
        .input("backup-key", key)
        .input("target-url", postgres.url(target))
        .timeout(Duration.ofMinutes(2));
  }

  /** CreateMultipartUpload, or a PutObject of a whole object. */
  private static boolean createsAnObject(ObjectLockProxy.Request request) {
    return (request.method().equals("POST") && request.hasQuery("uploads"))
        || (request.method().equals("PUT")
            && !request.hasQuery("uploadId")
            && !request.hasQuery("partNumber")
            && !request.hasQuery("tagging")
            && !request.hasQuery("retention"));
  }
}
