package dev.neonbackup.catalog;

import dev.neonbackup.neon.SnapshotSource;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The small JSON object stored beside each archive, at {@code <key>.json}: what was dumped, by
 * what, when, and how the archive checked out; for an encrypted archive, how ({@link
 * ManifestEncryption}); when it is known, {@code receivedBytes}: what the server sent pg_dump
 * (Neon's egress). {@code list}, {@code restore} and retention read it. Readers pass over
 * fields they do not know; {@code manifestVersion} changes only when a field changes meaning.
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
    String verificationResult,
    Optional<ManifestEncryption> encryption,
    Optional<SnapshotSource> source,
    OptionalLong receivedBytes) {

  public static final int CURRENT_VERSION = 1;
  public static final String TOOL = "neon-backup-action";
  private static final String RECEIVED_BYTES = "receivedBytes";

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
    encryption.ifPresent(e -> e.addTo(fields));
    source.ifPresent(s -> ManifestSource.addTo(s, fields));
    receivedBytes.ifPresent(bytes -> fields.put(RECEIVED_BYTES, bytes));
    return CatalogJson.object(fields);
  }

  /**
   * Reads a manifest this tool wrote; empty for anything else (another tool's JSON, garbage, a
   * field missing, null or of the wrong type). Fields it does not know are passed over.
   */
  public static Optional<Manifest> parse(String json) {
    try {
      return Optional.of(read(json));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Like {@link #parse}, but says why the text is not a manifest of this tool. */
  public static Manifest read(String json) {
    Map<String, Object> fields;
    try {
      fields = CatalogJson.readObject(json);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not one JSON object");
    }
    if (fields == null) {
      throw new IllegalArgumentException("not one JSON object");
    }
    if (!TOOL.equals(fields.get("tool"))) {
      throw new IllegalArgumentException("not written by " + TOOL);
    }
    try {
      return builder()
          .manifestVersion(Math.toIntExact(whole(fields, "manifestVersion")))
          .toolVersion(text(fields, "toolVersion"))
          .database(text(fields, "database"))
          .objectKey(text(fields, "objectKey"))
          .serverVersion(text(fields, "serverVersion"))
          .pgDumpVersion(text(fields, "pgDumpVersion"))
          .compression(text(fields, "compression"))
          .startedAt(Instant.parse(text(fields, "startedAt")))
          .finishedAt(Instant.parse(text(fields, "finishedAt")))
          .sizeBytes(whole(fields, "sizeBytes"))
          .sha256(text(fields, "sha256"))
          .verification(text(fields, "verification"))
          .verificationResult(text(fields, "verificationResult"))
          .encryption(ManifestEncryption.read(fields))
          .source(ManifestSource.read(fields))
          .receivedBytes(receivedBytes(fields))
          .build();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a field is malformed: " + e.getMessage(), e);
    }
  }

  private static String text(Map<String, Object> fields, String name) {
    if (fields.get(name) instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException(name + " is not a string");
  }

  // jackson-jr reads a whole number as Integer or Long by its size; anything else (a fraction,
  // one too large for a long) is not what this tool writes.
  private static long whole(Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException(name + " is not a whole number");
  }

  /** Empty without the field (an older manifest, or unknown); malformed makes the manifest damaged. */
  private static OptionalLong receivedBytes(Map<String, Object> fields) {
    if (!fields.containsKey(RECEIVED_BYTES)) {
      return OptionalLong.empty();
    }
    long bytes = whole(fields, RECEIVED_BYTES);
    if (bytes < 0) {
      throw new IllegalArgumentException(RECEIVED_BYTES + " is negative");
    }
    return OptionalLong.of(bytes);
  }

  /** Whether the archive is encrypted (the manifest says how). */
  public boolean encrypted() {
    return encryption.isPresent();
  }

  /** Names each of the sixteen fields, instead of a call that only counts them. */
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
    private Optional<ManifestEncryption> encryption = Optional.empty();
    private Optional<SnapshotSource> source = Optional.empty();
    private OptionalLong receivedBytes = OptionalLong.empty();

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

    public Builder encryption(Optional<ManifestEncryption> encryption) {
      this.encryption = encryption;
      return this;
    }

    /** A dump of a temporary Neon branch: where it came from. */
    public Builder source(Optional<SnapshotSource> source) {
      this.source = source;
      return this;
    }

    /** The bytes the server sent pg_dump, when they were counted. */
    public Builder receivedBytes(OptionalLong receivedBytes) {
      this.receivedBytes = receivedBytes;
      return this;
    }

    /** Refuses a manifest with a field left out: list, restore and retention read them all. */
    public Manifest build() {
      // In the order of the record's components, so that a gap can be named.
      List<Object> values =
          Arrays.asList(
              manifestVersion, toolVersion, database, objectKey, serverVersion, pgDumpVersion,
              compression, startedAt, finishedAt, sizeBytes, sha256, verification,
              verificationResult, encryption, source, receivedBytes);
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
          verificationResult,
          encryption,
          source,
          receivedBytes);
    }
  }
}
