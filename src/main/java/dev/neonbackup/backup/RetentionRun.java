package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.StorageException;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link RetentionPolicy} after a successful backup: lists the database's own folder,
 * lets the policy decide, and deletes each archive together with its manifest (or, in a dry run,
 * only says what it would delete). Anything the policy does not recognise is left alone.
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
      keys = store.list(justStored.databaseFolder()).stream().map(StoredObject::key).toList();
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
