package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.ManifestCheck;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
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
 * them), and deletes each archive together with its manifest (or, in a dry run, only says what it
 * would delete). Anything else is left alone: archives without a matching manifest are neither
 * counted nor deleted, and are reported as unmanaged.
 */
final class RetentionRun {
  /** Archives per delete: with their manifests, the 1,000 keys one request may carry. */
  private static final int BATCH = 500;

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
    } else {
      delete(decision.delete());
    }
    return new RetentionOutcome(decision.keep(), decision.delete(), dryRun);
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
          "retention: left alone and not counted, as no manifest that matches them vouches that"
              + " this tool wrote them (unmanaged): "
              + String.join(", ", unmanaged));
    }
    managed.add(justStored.key());
    return managed;
  }

  private void delete(List<String> archives) {
    for (int from = 0; from < archives.size(); from += BATCH) {
      List<String> batch = archives.subList(from, Math.min(archives.size(), from + BATCH));
      List<String> keys = new ArrayList<>();
      for (String archive : batch) {
        keys.add(archive);
        keys.add(BackupKey.manifestKeyOf(archive));
      }
      try {
        store.delete(keys);
      } catch (StorageException e) {
        throw failed(e);
      }
      batch.forEach(key -> reporter.info("retention: deleted " + key + " and its manifest"));
    }
  }

  private static FailureException failed(StorageException e) {
    return new FailureException(FailureKind.AFTER_PUBLISH, "retention failed: " + e.getMessage(), e);
  }
}
