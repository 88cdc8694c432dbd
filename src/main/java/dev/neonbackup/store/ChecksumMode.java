package dev.neonbackup.store;

import dev.neonbackup.failure.InputException;
import java.util.Locale;

/**
 * The {@code s3-checksum} input. {@code on}: every part carries a CRC32 that S3 checks and stores.
 * {@code when-required}: only where S3 demands one, for stores that reject the checksum headers
 * (Cloudflare R2, Backblaze B2, older MinIO). {@code auto}: on for AWS, when-required for a custom
 * endpoint.
 */
public enum ChecksumMode {
  AUTO,
  ON,
  WHEN_REQUIRED;

  public static final String INPUT = "s3-checksum";

  public static ChecksumMode parse(String text) {
    switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "on":
        return ON;
      case "when-required":
        return WHEN_REQUIRED;
      default:
        throw new InputException(
            INPUT + " '" + text + "' is not one of: auto, on, when-required");
    }
  }

  /** Resolves {@code auto}: checksums on for AWS itself, off for a custom endpoint. */
  public boolean enabled(boolean customEndpoint) {
    return this == ON || (this == AUTO && !customEndpoint);
  }
}
