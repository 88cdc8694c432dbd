package dev.neonbackup.store.s3;

import dev.neonbackup.failure.StorageException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/** Deletes keys with multi-object deletes, at most 1,000 keys a request as S3 allows. */
final class BatchDelete {
  private static final int BATCH = 1000;

  private BatchDelete() {}

  static void run(S3Client s3, String bucket, List<String> keys) {
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<ObjectIdentifier> objects = new ArrayList<>();
      for (String key : keys.subList(from, Math.min(keys.size(), from + BATCH))) {
        objects.add(ObjectIdentifier.builder().key(key).build());
      }
      DeleteObjectsResponse response;
      try {
        response =
            s3.deleteObjects(
                DeleteObjectsRequest.builder()
                    .bucket(bucket)
                    .delete(Delete.builder().objects(objects).quiet(true).build())
                    .build());
      } catch (SdkException e) {
        throw StorageErrors.explain("delete objects in s3://" + bucket, bucket, e);
      }
      if (response.hasErrors() && !response.errors().isEmpty()) {
        S3Error first = response.errors().get(0);
        throw new StorageException(
            "could not delete "
                + response.errors().size()
                + " object(s) in s3://"
                + bucket
                + ", e.g. "
                + first.key()
                + ": "
                + first.code()
                + " "
                + first.message(),
            null);
      }
    }
  }
}
