package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.actions.Console;
import dev.neonbackup.store.s3.StorageErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Applies a {@link RetentionPolicy} after a successful backup: lists the database's own folder,
 * lets the policy decide, and deletes each archive that goes together with its manifest (or, in a
 * dry run, only says what it would delete). Anything the policy does not recognise is left alone.
 */
final class RetentionRun {
  private static final int DELETE_BATCH = 500; // archives per request: twice as many keys, at most 1000

  private RetentionRun() {}

  static RetentionOutcome apply(
      S3Client s3,
      Console console,
      RetentionPolicy policy,
      boolean dryRun,
      String bucket,
      BackupKey justStored,
      Instant now) {
    List<String> keys = list(s3, bucket, justStored.databaseFolder());
    RetentionPolicy.Decision decision =
        policy.decide(justStored.prefix(), justStored.database(), keys, justStored.key(), now);
    for (String key : decision.keep()) {
      console.info("retention: keeping " + key + " (" + decision.reasons().get(key) + ")");
    }
    if (dryRun) {
      decision.delete().forEach(key -> console.info("retention (dry run): would delete " + key));
    } else {
      delete(s3, console, bucket, decision.delete());
    }
    return new RetentionOutcome(decision.keep(), decision.delete(), dryRun);
  }

  private static List<String> list(S3Client s3, String bucket, String folder) {
    List<String> keys = new ArrayList<>();
    try {
      s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(folder).build())
          .contents()
          .stream()
          .map(S3Object::key)
          .forEach(keys::add);
    } catch (SdkException e) {
      throw failed("list s3://" + bucket + "/" + folder, bucket, e);
    }
    return keys;
  }

  private static void delete(S3Client s3, Console console, String bucket, List<String> archives) {
    for (int from = 0; from < archives.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> objects = new ArrayList<>();
      for (String archive : archives.subList(from, Math.min(archives.size(), from + DELETE_BATCH))) {
        objects.add(ObjectIdentifier.builder().key(archive).build());
        objects.add(ObjectIdentifier.builder().key(archive + BackupKey.MANIFEST_SUFFIX).build());
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
        throw failed("delete old backups in s3://" + bucket, bucket, e);
      }
      if (response.hasErrors() && !response.errors().isEmpty()) {
        var first = response.errors().get(0);
        throw new FailureException(
            FailureKind.AFTER_PUBLISH,
            "retention could not delete "
                + response.errors().size()
                + " object(s), e.g. "
                + first.key()
                + ": "
                + first.code()
                + " "
                + first.message());
      }
      objects.stream()
          .map(ObjectIdentifier::key)
          .filter(key -> !key.endsWith(BackupKey.MANIFEST_SUFFIX))
          .forEach(key -> console.info("retention: deleted " + key + " and its manifest"));
    }
  }

  private static FailureException failed(String action, String bucket, SdkException e) {
    return new FailureException(
        FailureKind.AFTER_PUBLISH,
        "retention failed: "
            + StorageErrors.explain(action, bucket, e).getMessage(),
        e);
  }
}
