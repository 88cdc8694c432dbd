package dev.neonbackup.store.s3;

import dev.neonbackup.store.Deletion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Deletes keys in a bucket without versions, with multi-object deletes of at most 1,000 keys as S3
 * allows. A key S3 reports an error for is kept, with S3's reason; a request S3 refuses as a whole
 * (403) keeps all its keys. Any other failure of a request is thrown.
 */
final class BatchDelete {
  private static final int BATCH = 1000;

  private BatchDelete() {}

  static Deletion run(S3Client s3, String bucket, List<String> keys) {
    Deletion outcome = Deletion.allDeleted(List.of());
    for (int from = 0; from < keys.size(); from += BATCH) {
      outcome = outcome.and(batch(s3, bucket, keys.subList(from, Math.min(keys.size(), from + BATCH))));
    }
    return outcome;
  }

  private static Deletion batch(S3Client s3, String bucket, List<String> keys) {
    List<ObjectIdentifier> objects = new ArrayList<>();
    keys.forEach(key -> objects.add(ObjectIdentifier.builder().key(key).build()));
    DeleteObjectsResponse response;
    try {
      response =
          s3.deleteObjects(
              DeleteObjectsRequest.builder()
                  .bucket(bucket)
                  .delete(Delete.builder().objects(objects).quiet(true).build())
                  .build());
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        return Deletion.allKept(keys, refused(StorageErrors.code(e), "access denied"));
      }
      throw StorageErrors.explain("delete objects in s3://" + bucket, bucket, e);
    } catch (SdkException e) {
      throw StorageErrors.explain("delete objects in s3://" + bucket, bucket, e);
    }
    Map<String, String> kept = new LinkedHashMap<>();
    if (response.hasErrors()) {
      for (S3Error error : response.errors()) {
        kept.put(error.key(), refused(error.code(), error.message()));
      }
    }
    return new Deletion(keys.stream().filter(k -> !kept.containsKey(k)).toList(), kept);
  }

  static String refused(String code, String message) {
    return "S3 refused to delete it (" + (code == null ? "no code" : code)
        + (message == null || message.isBlank() ? "" : ": " + message)
        + "): the bucket policy or a lock keeps it";
  }
}
