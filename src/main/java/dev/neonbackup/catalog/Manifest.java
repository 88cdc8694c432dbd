package dev.neonbackup.catalog;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

  public static Builder builder() {
    return new Builder();
  }

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
          builder()
              .manifestVersion(((Long) fields.get("manifestVersion")).intValue())
              .toolVersion((String) fields.get("toolVersion"))
              .database((String) fields.get("database"))
              .objectKey((String) fields.get("objectKey"))
              .serverVersion((String) fields.get("serverVersion"))
              .pgDumpVersion((String) fields.get("pgDumpVersion"))
              .compression((String) fields.get("compression"))
              .startedAt(Instant.parse((String) fields.get("startedAt")))
              .finishedAt(Instant.parse((String) fields.get("finishedAt")))
              .sizeBytes((Long) fields.get("sizeBytes"))
              .sha256((String) fields.get("sha256"))
              .verification((String) fields.get("verification"))
              .verificationResult((String) fields.get("verificationResult"))
              .build());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Names each of the thirteen fields, instead of a call that only counts them. */
  public static final class Builder {
    private Integer manifestVersion;
    private String toolVersion;
    private String database;
    private String objectKey;
    private String serverVersion;
    private String pgDumpVersion;
    private String compression;
    private Instant startedAt;
    private Instant finishedAt;
    private Long sizeBytes;
    private String sha256;
    private String verification;
    private String verificationResult;

    private Builder() {}

    public Builder manifestVersion(int manifestVersion) {
      this.manifestVersion = manifestVersion;
      return this;
    }

    public Builder toolVersion(String toolVersion) {
      this.toolVersion = toolVersion;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder objectKey(String objectKey) {
      this.objectKey = objectKey;
      return this;
    }

    public Builder serverVersion(String serverVersion) {
      this.serverVersion = serverVersion;
      return this;
    }

    public Builder pgDumpVersion(String pgDumpVersion) {
      this.pgDumpVersion = pgDumpVersion;
      return this;
    }

    public Builder compression(String compression) {
      this.compression = compression;
      return this;
    }

    public Builder startedAt(Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Builder finishedAt(Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    public Builder sizeBytes(long sizeBytes) {
      this.sizeBytes = sizeBytes;
      return this;
    }

    public Builder sha256(String sha256) {
      this.sha256 = sha256;
      return this;
    }

    public Builder verification(String verification) {
      this.verification = verification;
      return this;
    }

    public Builder verificationResult(String verificationResult) {
      this.verificationResult = verificationResult;
      return this;
    }

    /** Refuses a manifest with a field left out: list, restore and retention read them all. */
    public Manifest build() {
      // In the order of the record's components, so that a gap can be named.
      List<Object> values =
          Arrays.asList(
              manifestVersion, toolVersion, database, objectKey, serverVersion, pgDumpVersion,
              compression, startedAt, finishedAt, sizeBytes, sha256, verification,
              verificationResult);
      int missing = values.indexOf(null);
      if (missing >= 0) {
        throw new IllegalStateException(
            "a manifest needs " + Manifest.class.getRecordComponents()[missing].getName());
      }
      return new Manifest(
          manifestVersion,
          toolVersion,
          database,
          objectKey,
          serverVersion,
          pgDumpVersion,
          compression,
          startedAt,
          finishedAt,
          sizeBytes,
          sha256,
          verification,
          verificationResult);
    }
  }
}
