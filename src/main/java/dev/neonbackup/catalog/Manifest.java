package dev.neonbackup.catalog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The small JSON object stored beside each archive, at {@code <key>.json}: what was dumped, by
 * what, when, and how the archive checked out. {@code list}, {@code restore} and retention read it.
 */
public record Manifest(
    int manifestVersion,
    String toolVersion,
    String database,
    String objectKey,
    String serverVersion,
    String pgDumpVersion,
    String compression,
    Instant startedAt,
    Instant finishedAt,
    long sizeBytes,
    String sha256,
    String verification,
    String verificationResult) {

  public static final int CURRENT_VERSION = 1;
  public static final String TOOL = "neon-backup-action";

  public String toJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("manifestVersion", manifestVersion);
    fields.put("tool", TOOL);
    fields.put("toolVersion", toolVersion);
    fields.put("database", database);
    fields.put("objectKey", objectKey);
    fields.put("serverVersion", serverVersion);
    fields.put("pgDumpVersion", pgDumpVersion);
    fields.put("compression", compression);
    fields.put("startedAt", startedAt.toString());
    fields.put("finishedAt", finishedAt.toString());
    fields.put("sizeBytes", sizeBytes);
    fields.put("sha256", sha256);
    fields.put("verification", verification);
    fields.put("verificationResult", verificationResult);
    return Json.write(fields);
  }

  /** Reads a manifest this tool wrote; empty for anything else (another tool's JSON, garbage). */
  public static Optional<Manifest> parse(String json) {
    try {
      Map<String, Object> fields = Json.read(json);
      if (!TOOL.equals(fields.get("tool"))) {
        return Optional.empty();
      }
      return Optional.of(
          new Manifest(
              ((Long) fields.get("manifestVersion")).intValue(),
              (String) fields.get("toolVersion"),
              (String) fields.get("database"),
              (String) fields.get("objectKey"),
              (String) fields.get("serverVersion"),
              (String) fields.get("pgDumpVersion"),
              (String) fields.get("compression"),
              Instant.parse((String) fields.get("startedAt")),
              Instant.parse((String) fields.get("finishedAt")),
              (Long) fields.get("sizeBytes"),
              (String) fields.get("sha256"),
              (String) fields.get("verification"),
              (String) fields.get("verificationResult")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
