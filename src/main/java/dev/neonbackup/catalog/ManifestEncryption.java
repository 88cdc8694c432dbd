package dev.neonbackup.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a manifest says of an encrypted archive: the scheme ({@code age}), the public keys it is
 * encrypted to, and the SHA-256 and size of the pg_dump archive inside. The manifest's own {@code
 * sha256} and {@code sizeBytes} keep describing the stored object.
 */
public record ManifestEncryption(
    List<String> recipients, String plaintextSha256, long plaintextSizeBytes) {
  public static final String AGE = "age";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ManifestEncryption {
    recipients = List.copyOf(recipients);
  }

  void addTo(Map<String, Object> fields) {
    fields.put("encryption", AGE);
    fields.put("recipients", recipients);
    fields.put("plaintextSha256", plaintextSha256);
    fields.put("plaintextSizeBytes", plaintextSizeBytes);
  }

  /**
   * Empty when the manifest names no encryption; a manifest that names one but spells it wrong is
   * damaged, never read as a manifest of an archive in the clear.
   */
  static Optional<ManifestEncryption> read(Map<String, Object> fields) {
    if (!fields.containsKey("encryption")) {
      return Optional.empty();
    }
    if (!AGE.equals(fields.get("encryption"))) {
      throw new IllegalArgumentException("encryption is not \"" + AGE + "\"");
    }
    if (!(fields.get("recipients") instanceof List<?> listed) || listed.isEmpty()) {
      throw new IllegalArgumentException("recipients is not a list of public keys");
    }
    List<String> recipients = new ArrayList<>();
    for (Object recipient : listed) {
      if (!(recipient instanceof String key) || !key.startsWith("age1")) {
        throw new IllegalArgumentException("recipients is not a list of public keys");
      }
      recipients.add(key);
    }
    if (!(fields.get("plaintextSha256") instanceof String sha) || !SHA256.matcher(sha).matches()) {
      throw new IllegalArgumentException("plaintextSha256 is not a SHA-256");
    }
    Object size = fields.get("plaintextSizeBytes");
    if (!(size instanceof Integer || size instanceof Long) || ((Number) size).longValue() < 0) {
      throw new IllegalArgumentException("plaintextSizeBytes is not a whole number");
    }
    return Optional.of(new ManifestEncryption(recipients, sha, ((Number) size).longValue()));
  }
}
