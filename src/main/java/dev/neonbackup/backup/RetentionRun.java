package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.ManifestCheck;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.Deletion;
import dev.neonbackup.store.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a {@link RetentionPolicy} after a successful backup: lists the database's own folder,
 * lets the policy decide among the archives this tool published (those with a manifest that matches
 * them), and deletes each archive, then its manifest (or, in a dry run, only says what it would
 * delete). What S3 keeps (an Object Lock, a bucket policy) is reported key by key and counted as
 * kept. Anything else is left alone: archives without a matching manifest are neither
 * counted nor deleted, and are reported as unmanaged.
 */
final class RetentionRun {
  /** Archives per delete: the 1,000 keys one request may carry; their manifests go in the next. */
  private static final int BATCH = 1000;
  /** The title of retention's warnings under Actions. */
  private static final String RETENTION = "Retention";

  private final BackupStore store;
  private final Reporter reporter;

  RetentionRun(BackupStore store, Reporter reporter) {
    this.store = store;
    this.reporter = reporter;
  }

  RetentionOutcome apply(RetentionPolicy policy, boolean dryRun, BackupKey justStored, Instant now) {
    List<String> keys;
    try {
      keys = managed(justStored);
    } catch (StorageException e) {
      throw failed(e);
    }
    RetentionPolicy.Decision decision =
        policy.decide(justStored.prefix(), justStored.database(), keys, justStored.key(), now);
    for (String key : decision.keep()) {
      reporter.info("retention: keeping " + key + " (" + decision.reasons().get(key) + ")");
    }
    if (dryRun) {
      decision.delete().forEach(key -> reporter.info("retention (dry run): would delete " + key));
      return new RetentionOutcome(decision.keep(), decision.delete(), true);
    }
    List<String> deleted = delete(decision.delete());
    List<String> kept = new ArrayList<>(decision.keep());
    decision.delete().stream().filter(key -> !deleted.contains(key)).forEach(kept::add);
    return new RetentionOutcome(kept, deleted, false);
  }

  /** The archives of the folder that carry a matching manifest, and the one just stored. */
  private List<String> managed(BackupKey justStored) {
    List<StoredObject> objects = store.list(justStored.databaseFolder());
    Set<String> keys = objects.stream().map(StoredObject::key).collect(Collectors.toSet());
    List<String> managed = new ArrayList<>();
    List<String> unmanaged = new ArrayList<>();
    for (StoredObject object : objects) {
      Optional<BackupKey> archive =
          BackupKey.parse(justStored.prefix(), justStored.database(), object.key());
      if (archive.isEmpty() || object.key().equals(justStored.key())) {
        continue;
      }
      boolean published =
          keys.contains(archive.get().manifestKey())
              && ManifestCheck.of(store, object.key(), object.size(), Optional.of(justStored.database()))
                  .matches();
      (published ? managed : unmanaged).add(object.key());
    }
    if (!unmanaged.isEmpty()) {
      reporter.warn(
          RETENTION,
          "retention: left alone and not counted, as no manifest that matches them vouches that"
              + " this tool wrote them (unmanaged): "
              + String.join(", ", unmanaged));
    }
    managed.add(justStored.key());
    return managed;
  }

  /**
   * Deletes the archives, then the manifests of those that went: an archive S3 keeps (a lock, a
   * policy) keeps its manifest too, so it stays a managed backup. What S3 keeps is a warning, key by
   * key, never a failure: the backup itself is stored.
   */
  private List<String> delete(List<String> archives) {
    List<String> deleted = new ArrayList<>();
    for (int from = 0; from < archives.size(); from += BATCH) {
      List<String> batch = archives.subList(from, Math.min(archives.size(), from + BATCH));
      Deletion archivesGone = deleteOrFail(batch);
      archivesGone.kept().forEach((key, why) -> reporter.warn(RETENTION, "retention: kept " + key + ": " + why));
      List<String> manifests = archivesGone.deleted().stream().map(BackupKey::manifestKeyOf).toList();
      Deletion manifestsGone = manifests.isEmpty() ? Deletion.allDeleted(List.of()) : deleteOrFail(manifests);
      for (String archive : archivesGone.deleted()) {
        String manifest = BackupKey.manifestKeyOf(archive);
        if (manifestsGone.wasDeleted(manifest)) {
          reporter.info("retention: deleted " + archive + " and its manifest");
        } else {
          reporter.warn(
              RETENTION,
              "retention: deleted " + archive + "; its manifest is kept: " + manifestsGone.kept().get(manifest));
        }
      }
      deleted.addAll(archivesGone.deleted());
    }
    return deleted;
  }

  private Deletion deleteOrFail(List<String> keys) {
    try {
      return store.delete(keys);
    } catch (StorageException e) {
      throw failed(e);
    }
  }

  private static FailureException failed(StorageException e) {
    return new FailureException(FailureKind.AFTER_PUBLISH, "retention failed: " + e.getMessage(), e);
  }
}
