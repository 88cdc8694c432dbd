package dev.neonbackup.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.store.Deletion;
import dev.neonbackup.store.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The decisions of {@link Versions} over listings S3 could give, on a client of the test's own. */
class VersionsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final Instant SAME_SECOND = Instant.parse("2026-11-30T03:15:00Z");

  /** Answers listings from fixed entries, in S3's order (per key, newest first); records deletes. */
  private static final class FakeS3 implements S3Client {
    final List<ObjectVersion> versions = new ArrayList<>();
    final List<DeleteMarkerEntry> markers = new ArrayList<>();
    final List<String> deletes = new ArrayList<>();
    S3Exception listFailure;

    @Override
    public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
      if (listFailure != null) {
        throw listFailure;
      }
      return ListObjectVersionsResponse.builder()
          .versions(versions.stream().filter(v -> v.key().startsWith(request.prefix())).toList())
          .deleteMarkers(markers.stream().filter(m -> m.key().startsWith(request.prefix())).toList())
          .isTruncated(false)
          .build();
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
      return HeadObjectResponse.builder().build();
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
      deletes.add(request.key() + "@" + request.versionId());
      return DeleteObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }

  private static ObjectVersion version(String key, String id, Instant modified) {
    return ObjectVersion.builder().key(key).versionId(id).lastModified(modified).size(10L).build();
  }

  private static DeleteMarkerEntry marker(String key, boolean latest) {
    return DeleteMarkerEntry.builder().key(key).versionId("marker").isLatest(latest).lastModified(NOW).build();
  }

  @Test
  void a_hidden_key_is_read_at_the_version_s3_lists_first_even_within_one_second() {
    FakeS3 s3 = new FakeS3();
    s3.versions.add(version("p/a.dump", "NEW", SAME_SECOND)); // overwritten in the same second
    s3.versions.add(version("p/a.dump", "OLD", SAME_SECOND));
    s3.markers.add(marker("p/a.dump", true));
    List<StoredObject> hidden = new Versions(s3, "b").hidden("p/");
    assertEquals(List.of(Optional.of("NEW")), hidden.stream().map(StoredObject::versionId).toList());
  }

  @Test
  void a_store_that_leaves_out_last_modified_does_not_break_the_listing() {
    FakeS3 s3 = new FakeS3();
    s3.versions.add(version("p/a.dump", "ONLY", null));
    s3.markers.add(marker("p/a.dump", true));
    assertEquals(1, new Versions(s3, "b").hidden("p/").size());
  }

  @Test
  void a_key_with_no_version_listed_is_kept_not_counted_as_deleted() {
    FakeS3 s3 = new FakeS3();
    Deletion deletion = new Versions(s3, "b").deleteAllVersions(List.of("p/a.dump"), NOW);
    assertEquals(List.of(), deletion.deleted());
    assertTrue(deletion.kept().get("p/a.dump").contains("no version"), deletion.toString());
  }

  @Test
  void versions_of_a_longer_key_that_shares_the_prefix_are_never_deleted() {
    FakeS3 s3 = new FakeS3();
    s3.versions.add(version("p/a.dump", "A", NOW));
    s3.versions.add(version("p/a.dump.age", "AGE", NOW));
    s3.versions.add(version("p/a.dump.json", "JSON", NOW));
    Deletion deletion = new Versions(s3, "b").deleteAllVersions(List.of("p/a.dump"), NOW);
    assertEquals(List.of("p/a.dump"), deletion.deleted());
    assertEquals(List.of("p/a.dump@A"), s3.deletes);
  }

  @Test
  void a_refused_listing_of_versions_keeps_the_key_and_names_the_permission() {
    FakeS3 s3 = new FakeS3();
    s3.listFailure =
        (S3Exception)
            S3Exception.builder()
                .statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").build())
                .build();
    Deletion deletion = new Versions(s3, "b").deleteAllVersions(List.of("p/a.dump"), NOW);
    assertEquals(List.of(), deletion.deleted());
    assertTrue(deletion.kept().get("p/a.dump").contains("s3:ListBucketVersions"), deletion.toString());
    assertEquals(List.of(), s3.deletes);
  }
}
