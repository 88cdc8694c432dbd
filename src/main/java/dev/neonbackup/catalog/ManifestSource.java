package dev.neonbackup.catalog;

import dev.neonbackup.neon.SnapshotSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a manifest says of a dump made from a temporary Neon branch ({@code snapshot: branch}):
 * the project, the branch it was made from and at which LSN or instant, the temporary branch and
 * its endpoint. Stored as the object {@code neonSnapshot}; absent for a dump of a connection string.
 */
public final class ManifestSource {
  static final String FIELD = "neonSnapshot";

  private ManifestSource() {}

  static void addTo(SnapshotSource source, Map<String, Object> fields) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("projectId", source.projectId());
    object.put("parentBranchId", source.parentBranchId());
    object.put("parentBranchName", source.parentBranchName());
    object.put("branchId", source.branchId());
    object.put("branchName", source.branchName());
    source.parentLsn().ifPresent(lsn -> object.put("parentLsn", lsn));
    source.parentTimestamp().ifPresent(at -> object.put("parentTimestamp", at.toString()));
    source.endpointHost().ifPresent(host -> object.put("endpointHost", host));
    fields.put(FIELD, object);
  }

  /** Empty without the field; a field that is there but malformed makes the manifest damaged. */
  static Optional<SnapshotSource> read(Map<String, Object> fields) {
    if (!fields.containsKey(FIELD)) {
      return Optional.empty();
    }
    if (!(fields.get(FIELD) instanceof Map<?, ?> object)) {
      throw new IllegalArgumentException(FIELD + " is not an object");
    }
    return Optional.of(
        new SnapshotSource(
            text(object, "projectId"),
            text(object, "parentBranchId"),
            text(object, "parentBranchName"),
            text(object, "branchId"),
            text(object, "branchName"),
            optionalText(object, "parentLsn"),
            optionalText(object, "parentTimestamp").map(Instant::parse),
            optionalText(object, "endpointHost")));
  }

  private static String text(Map<?, ?> object, String name) {
    return optionalText(object, name)
        .orElseThrow(() -> new IllegalArgumentException(FIELD + "." + name + " is not a string"));
  }

  private static Optional<String> optionalText(Map<?, ?> object, String name) {
    Object value = object.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text) {
      return Optional.of(text);
    }
    throw new IllegalArgumentException(FIELD + "." + name + " is not a string");
  }

  /** For people: "temporary branch neon-backup-... (br-...) of main (br-...) in project p, ...". */
  public static String describe(SnapshotSource source) {
    return "temporary branch " + source.branchName() + " (" + source.branchId() + ") of "
        + source.parentBranchName() + " (" + source.parentBranchId() + ") in project "
        + source.projectId()
        + source.parentTimestamp().map(at -> ", as of " + at).orElse("")
        + source.parentLsn().map(lsn -> ", at LSN " + lsn).orElse("");
  }
}
