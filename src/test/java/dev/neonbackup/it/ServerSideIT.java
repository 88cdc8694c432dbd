package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.ObjectLockProxy;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3MockServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
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
