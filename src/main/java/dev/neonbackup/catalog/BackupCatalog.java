package dev.neonbackup.catalog;

import dev.neonbackup.report.TextTable;
import dev.neonbackup.report.Units;

import dev.neonbackup.store.BackupStore;
import dev.neonbackup.store.ServerSide;
import dev.neonbackup.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The backups under a prefix, as this tool named them: per database, newest first (by the
 * timestamp in the key, never by LastModified), each with its manifest when there is one.
 * Objects that are not this tool's archives are ignored.
 */
public final class BackupCatalog {
  /** One archive, and what stands beside it at {@code <key>.json}. */
  public record Entry(
      BackupKey key,
      long sizeBytes,
      ManifestCheck beside,
      Optional<String> storageClass,
      Optional<String> hiddenVersion) {
    public Entry(BackupKey key, long sizeBytes, ManifestCheck beside) {
      this(key, sizeBytes, beside, Optional.empty(), Optional.empty());
    }

    /** Whether it needs a thaw (GLACIER, DEEP_ARCHIVE) before it can be restored. */
    public boolean needsThaw() {
      return ServerSide.needsThaw(storageClass.orElse(null));
    }

    public String database() {
      return key.database();
    }

    /** Its manifest, if it has one that matches it. */
    public Optional<Manifest> manifest() {
      return beside.manifest();
    }
  }

  private final List<Entry> entries;

  private BackupCatalog(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static BackupCatalog load(BackupStore store, String prefix) {
    List<StoredObject> visible = store.list(prefix);
    return new BackupCatalog(sorted(entries(store, prefix, visible, keysOf(visible))));
  }

  /**
   * The same, and the archives that a delete marker hides (a plain delete in a versioned bucket),
   * each at its newest version, with that version's id: {@code restore} can bring one back by it.
   */
  public static BackupCatalog loadWithHidden(BackupStore store, String prefix) {
    List<StoredObject> visible = store.list(prefix);
    List<StoredObject> hidden = store.hidden(prefix);
    Set<String> keys = keysOf(visible);
    keys.addAll(keysOf(hidden));
    Map<String, String> versions = new LinkedHashMap<>();
    hidden.forEach(object -> versions.put(object.key(), object.versionId().orElseThrow()));
    List<Entry> entries = entries(store, prefix, visible, keys);
    entries.addAll(entries(store.pinned(versions), prefix, hidden, keys));
    return new BackupCatalog(sorted(entries));
  }

  private static List<Entry> entries(
      BackupStore store, String prefix, List<StoredObject> objects, Set<String> allKeys) {
    List<Entry> entries = new ArrayList<>();
    for (StoredObject object : objects) {
      Optional<BackupKey> key = BackupKey.parseAny(prefix, object.key());
      if (key.isEmpty()) {
        continue;
      }
      ManifestCheck beside =
          allKeys.contains(BackupKey.manifestKeyOf(object.key()))
              ? ManifestCheck.of(store, object.key(), object.size(), Optional.of(key.get().database()))
              : ManifestCheck.missing();
      entries.add(
          new Entry(key.get(), object.size(), beside, object.storageClass(), object.versionId()));
    }
    return entries;
  }

  private static Set<String> keysOf(List<StoredObject> objects) {
    return objects.stream().map(StoredObject::key).collect(Collectors.toCollection(java.util.HashSet::new));
  }

  private static List<Entry> sorted(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparing(Entry::database)
            .thenComparing((Entry e) -> e.key().timestamp(), Comparator.reverseOrder())
            .thenComparing((Entry e) -> e.key().key(), Comparator.reverseOrder())
            .thenComparing((Entry e) -> e.hiddenVersion().isPresent()));
    return sorted;
  }

  /** Reads one manifest; empty when it is missing or not this tool's. */
  public static Optional<Manifest> readManifest(BackupStore store, String key) {
    return store.read(key).flatMap(bytes -> Manifest.parse(new String(bytes, StandardCharsets.UTF_8)));
  }

  /** Per database, newest first. */
  public List<Entry> entries() {
    return entries;
  }

  public Set<String> databases() {
    return entries.stream().map(Entry::database).collect(Collectors.toCollection(TreeSet::new));
  }

  public BackupCatalog onlyDatabase(String database) {
    return new BackupCatalog(
        entries.stream().filter(e -> e.database().equals(database)).toList());
  }

  /**
   * The newest archive of {@code database} that this tool published: by the timestamp in its key,
   * among those with a matching manifest; only when none has one, the newest without any manifest.
   * An archive whose manifest is damaged is never taken.
   */
  public Optional<Entry> latest(String database) {
    List<Entry> own =
        onlyDatabase(database).entries.stream().filter(e -> e.hiddenVersion().isEmpty()).toList();
    return own.stream()
        .filter(e -> e.beside().matches())
        .findFirst()
        .or(() -> own.stream().filter(e -> !e.beside().isDamaged()).findFirst());
  }

  /** A human-readable table, one line per backup. */
  public String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"DATABASE", "TIME (UTC)", "SIZE", "PG_DUMP", "SERVER", "VERIFIED", "KEY"});
    for (Entry entry : entries) {
      rows.add(
          new String[] {
            entry.database(),
            shownTime(entry),
            Units.bytes(entry.sizeBytes()),
            entry.manifest().map(Manifest::pgDumpVersion).orElse("-"),
            entry.manifest().map(m -> firstWord(m.serverVersion())).orElse("-"),
            verified(entry),
            entry.key().key() + (notes(entry).isEmpty() ? "" : "  " + notes(entry))
          });
    }
    return TextTable.aligned(rows);
  }

  /** A JSON array with one object per backup, for scripts. */
  public String json() {
    return CatalogJson.entries(entries);
  }

  /** The same array on one line: the {@code backups} output of {@code list}. */
  public String jsonOnOneLine() {
    return CatalogJson.entriesOnOneLine(entries);
  }

  /** Its time, as the table shows it: {@code 2026-11-21 03:15:00}, UTC. */
  public static String shownTime(Entry entry) {
    return entry.key().timestamp().toString().replace('T', ' ').replace("Z", "");
  }

  /**
   * What a reader must know before restoring it (hidden behind a delete marker, archived), each in
   * brackets; empty when there is nothing.
   */
  public static String notes(Entry entry) {
    StringBuilder notes = new StringBuilder();
    entry.hiddenVersion().ifPresent(v -> notes.append("[hidden by a delete marker; version-id ").append(v).append(']'));
    if (entry.needsThaw()) {
      notes.append(notes.length() > 0 ? "  [" : "[")
          .append(entry.storageClass().get()).append(": thaw it (S3 RestoreObject) before a restore]");
    }
    return notes.toString();
  }

  /** The verification its manifest records, or why there is none to show. */
  public static String verified(Entry entry) {
    if (entry.beside().isDamaged()) {
      return "damaged manifest";
    }
    return entry.manifest().map(m -> m.verification() + ": " + m.verificationResult()).orElse("no manifest");
  }

  private static String firstWord(String text) {
    int space = text.indexOf(' ');
    return space < 0 ? text : text.substring(0, space);
  }
}
