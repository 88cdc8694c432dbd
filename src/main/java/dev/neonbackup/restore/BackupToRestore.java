package dev.neonbackup.restore;

import dev.neonbackup.catalog.BackupCatalog;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.catalog.ManifestCheck;
import dev.neonbackup.catalog.ManifestEncryption;
import dev.neonbackup.crypto.AgeDecryption;
import dev.neonbackup.crypto.AgeIdentity;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.postgres.ArchiveHeader;
import dev.neonbackup.postgres.PgClients;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ObjectLocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The archive a restore reads: a key, or the latest that this tool published of a database; its
 * size, its manifest if it has one that matches it, and the major of the pg_dump that wrote it
 * (from the manifest, else from the archive's own header). A manifest that exists but is damaged,
 * or an archive without one whose header is not pg_dump's, is refused before the target is touched.
 */
record BackupToRestore(
    ObjectLocation location,
    long size,
    Optional<Manifest> manifest,
    int dumpMajor,
    Optional<AgeDecryption> decryption) {
  private static final String UNTOUCHED = "refusing to restore it (the target was not touched)";
  /** Enough of an age file for its header and its first chunk of 64 KiB. */
  private static final int AGE_HEAD_BYTES = 128 * 1024;

  static BackupToRestore find(BackupStore store, Reporter reporter, RestoreSettings settings) {
    ObjectLocation location = store.at(resolveKey(store, reporter, settings));
    long size =
        store
            .size(location.key())
            .orElseThrow(
                () -> new FailureException(FailureKind.RESTORE, "no backup at " + location.url()));
    store.thaw(location.key()).filter(thaw -> !thaw.readable()).ifPresent(thaw -> {
      throw new FailureException(FailureKind.RESTORE, frozen(location, thaw));
    });
    Optional<String> database =
        BackupKey.parseAny(settings.storage().prefix(), location.key()).map(BackupKey::database);
    ManifestCheck beside = ManifestCheck.of(store, location.key(), size, database);
    if (beside.isDamaged()) {
      throw new FailureException(FailureKind.VERIFY, beside.describe(location.url()) + "; " + UNTOUCHED);
    }
    Optional<AgeDecryption> decryption =
        location.key().endsWith(BackupKey.SUFFIX + BackupKey.AGE_SUFFIX)
            ? Optional.of(decryption(settings, location, beside.manifest()))
            : Optional.empty();
    if (beside.matches()) {
      Manifest manifest = beside.manifest().get();
      decryption.ifPresent(d -> d.checkHeader(store.readHead(location.key(), AGE_HEAD_BYTES)));
      return new BackupToRestore(
          location, size, Optional.of(manifest), PgClients.majorOf(manifest.pgDumpVersion()), decryption);
    }
    reporter.warn("no manifest beside " + location.url() + ": the SHA-256 cannot be checked");
    byte[] head = decryption.isPresent()
        ? plaintextHead(decryption.get(), store.readHead(location.key(), AGE_HEAD_BYTES))
        : store.readHead(location.key(), ArchiveHeader.READ_BYTES);
    return new BackupToRestore(
        location, size, Optional.empty(), majorFromHeader(head, reporter, location), decryption);
  }

  /** Why an archive in GLACIER or DEEP_ARCHIVE cannot be restored yet, and how to thaw it. */
  static String frozen(ObjectLocation location, BackupStore.Thaw thaw) {
    boolean tiering = thaw.storageClass().startsWith("INTELLIGENT_TIERING");
    return location.url() + " is in " + thaw.storageClass() + " and " + thaw.state()
        + ": S3 serves it only after a thaw. Start one with `aws s3api restore-object --bucket "
        + location.bucket() + " --key " + location.key()
        + (tiering ? " --restore-request '{}'" : " --restore-request Days=2")
        + "`, wait for it (hours: a Standard retrieval takes 3 to 5 from GLACIER or an archive"
        + " tier, up to 12 from DEEP_ARCHIVE), then run this restore again; " + UNTOUCHED;
  }

  /**
   * An archive encrypted with age needs the identity of one recipient; without one, or with a key
   * that is none of them, nothing is restored and the target is not touched.
   */
  private static AgeDecryption decryption(
      RestoreSettings settings, ObjectLocation location, Optional<Manifest> manifest) {
    List<String> recipients =
        manifest.flatMap(Manifest::encryption).map(ManifestEncryption::recipients).orElse(List.of());
    AgeIdentity identity =
        settings
            .identity()
            .orElseThrow(
                () ->
                    new FailureException(
                        FailureKind.RESTORE,
                        location.url()
                            + " is encrypted with age"
                            + (recipients.isEmpty() ? "" : " to " + String.join(", ", recipients))
                            + ": set age-identity to the private key of a recipient; "
                            + UNTOUCHED));
    return new AgeDecryption(identity, recipients, location.url());
  }

  /** The first plaintext bytes of an encrypted archive, for its pg_dump header. */
  private static byte[] plaintextHead(AgeDecryption decryption, byte[] head) {
    try (InputStream plaintext = decryption.open(new ByteArrayInputStream(head))) {
      return plaintext.readNBytes(ArchiveHeader.READ_BYTES);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
  }

  private static String resolveKey(BackupStore store, Reporter reporter, RestoreSettings settings) {
    if (!settings.backupKey().equals(RestoreSettings.LATEST)) {
      return settings.backupKey();
    }
    String prefix = settings.storage().prefix();
    BackupCatalog catalog = BackupCatalog.load(store, prefix);
    String database = settings.database().orElseGet(() -> onlyDatabase(catalog));
    BackupCatalog.Entry latest =
        catalog
            .latest(database)
            .orElseThrow(
                () ->
                    new FailureException(
                        FailureKind.RESTORE,
                        "no backup of database '"
                            + database
                            + "' under s3://"
                            + store.bucket()
                            + "/"
                            + prefix));
    for (BackupCatalog.Entry newer : catalog.onlyDatabase(database).entries()) {
      if (newer == latest) {
        break;
      }
      reporter.warn("latest: passing over " + newer.beside().describe(store.at(newer.key().key()).url()));
    }
    if (!latest.beside().matches()) {
      reporter.warn(
          "latest: no archive of database '"
              + database
              + "' has a manifest that matches it; taking the newest archive without one");
    }
    return latest.key().key();
  }

  private static String onlyDatabase(BackupCatalog catalog) {
    if (catalog.databases().size() == 1) {
      return catalog.databases().iterator().next();
    }
    throw new InputException(
        "backup-key latest needs the database input: the prefix holds backups of "
            + (catalog.databases().isEmpty() ? "no database" : String.join(", ", catalog.databases())));
  }

  /**
   * Without a manifest, the archive's own header is all that can be checked before the target is
   * touched: it must be pg_dump's custom format, and it says which pg_dump wrote it.
   */
  private static int majorFromHeader(byte[] head, Reporter reporter, ObjectLocation location) {
    ArchiveHeader header =
        ArchiveHeader.parse(head)
            .orElseThrow(
                () ->
                    new FailureException(
                        FailureKind.VERIFY,
                        location.url()
                            + " has no manifest and does not start with a pg_dump custom-format"
                            + " header; "
                            + UNTOUCHED));
    reporter.info(
        "the archive's header: written by pg_dump "
            + header.pgDumpVersion()
            + " from PostgreSQL "
            + header.serverVersion());
    return PgClients.majorOf(header.pgDumpVersion());
  }

  /** Fails when the decrypted bytes are not the archive the manifest describes. */
  void checkPlaintextSha(String actual, String consequence) {
    Optional<ManifestEncryption> encryption = manifest.flatMap(Manifest::encryption);
    if (encryption.isPresent() && !encryption.get().plaintextSha256().equals(actual)) {
      throw new FailureException(
          FailureKind.VERIFY,
          "the archive decrypted from "
              + location.url()
              + " does not match its manifest (SHA-256 "
              + actual
              + ", manifest says "
              + encryption.get().plaintextSha256()
              + "); "
              + consequence);
    }
  }

  /** Fails when the restored bytes are not the ones the manifest describes. */
  void checkSha(String actual, String consequence) {
    if (manifest.isPresent() && !manifest.get().sha256().equals(actual)) {
      throw new FailureException(
          FailureKind.VERIFY,
          "the object "
              + location.url()
              + " does not match its manifest (SHA-256 "
              + actual
              + ", manifest says "
              + manifest.get().sha256()
              + "): it was changed or damaged in storage; "
              + consequence);
    }
  }
}
