package dev.neonbackup.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a delete did, key by key: those it deleted, and why each other one is still there (an
 * Object Lock retention date, a refusal by S3). A key kept is not a failure: the object is safe.
 */
public record Deletion(List<String> deleted, Map<String, String> kept) {
  public Deletion {
    deleted = List.copyOf(deleted);
    kept = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kept));
  }

  public static Deletion allDeleted(List<String> keys) {
    return new Deletion(keys, Map.of());
  }

  /** Every key kept, for one reason. */
  public static Deletion allKept(List<String> keys, String reason) {
    Map<String, String> kept = new LinkedHashMap<>();
    keys.forEach(key -> kept.put(key, reason));
    return new Deletion(List.of(), kept);
  }

  public boolean wasDeleted(String key) {
    return deleted.contains(key);
  }

  /** This outcome followed by {@code other}'s. */
  public Deletion and(Deletion other) {
    List<String> allDeleted = new ArrayList<>(deleted);
    allDeleted.addAll(other.deleted);
    Map<String, String> allKept = new LinkedHashMap<>(kept);
    allKept.putAll(other.kept);
    return new Deletion(allDeleted, allKept);
  }
}
