package dev.neonbackup.catalog;

import dev.neonbackup.store.BackupStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What stands beside an archive at {@code <key>.json}: nothing; a manifest of this tool that
 * matches the archive (its key, its size and, where the key names one, its database); or something
 * that exists but vouches for nothing (unreadable, another tool's, or describing another object),
 * which is damage, never an absence. Only a matching manifest says this tool published the archive.
 */
public record ManifestCheck(Optional<Manifest> manifest, Optional<String> damage) {
  private static final ManifestCheck MISSING = new ManifestCheck(Optional.empty(), Optional.empty());

  public static ManifestCheck missing() {
    return MISSING;
  }

  /** Reads and checks the manifest of the archive at {@code archiveKey}, {@code size} bytes long. */
  public static ManifestCheck of(
      BackupStore store, String archiveKey, long size, Optional<String> database) {
    return store
        .read(BackupKey.manifestKeyOf(archiveKey))
        .map(bytes -> check(new String(bytes, StandardCharsets.UTF_8), archiveKey, size, database))
        .orElse(MISSING);
  }

  static ManifestCheck check(String json, String archiveKey, long size, Optional<String> database) {
    Manifest manifest;
    try {
      manifest = Manifest.read(json);
    } catch (IllegalArgumentException e) {
      return damaged("cannot be read: " + e.getMessage());
    }
    if (!manifest.objectKey().equals(archiveKey)) {
      return damaged("describes another object (" + manifest.objectKey() + ")");
    }
    if (manifest.sizeBytes() != size) {
      return damaged("says " + manifest.sizeBytes() + " bytes, the object has " + size);
    }
    boolean keyEncrypted = archiveKey.endsWith(BackupKey.SUFFIX + BackupKey.AGE_SUFFIX);
    if (keyEncrypted != manifest.encrypted()) {
      return damaged(
          keyEncrypted
              ? "names no encryption, the key ends in " + BackupKey.AGE_SUFFIX
              : "names age encryption, the key does not end in " + BackupKey.AGE_SUFFIX);
    }
    if (database.isPresent() && !database.get().equals(manifest.database())) {
      return damaged("names database '" + manifest.database() + "', the key '" + database.get() + "'");
    }
    return new ManifestCheck(Optional.of(manifest), Optional.empty());
  }

  private static ManifestCheck damaged(String why) {
    return new ManifestCheck(Optional.empty(), Optional.of(why));
  }

  /** A manifest of this tool that matches its archive. */
  public boolean matches() {
    return manifest.isPresent();
  }

  public boolean isDamaged() {
    return damage.isPresent();
  }

  /** For people: why an archive is or is not vouched for. */
  public String describe(String archiveUrl) {
    if (matches()) {
      return "the manifest beside " + archiveUrl + " matches it";
    }
    return damage
        .map(why -> "the manifest beside " + archiveUrl + " is damaged: it " + why)
        .orElse("no manifest beside " + archiveUrl);
  }
}
