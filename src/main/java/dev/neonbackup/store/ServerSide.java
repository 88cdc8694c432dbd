package dev.neonbackup.store;

import dev.neonbackup.failure.InputException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How S3 is asked to keep what the run writes: server-side encryption, the archives' storage class,
 * tags, and an Object Lock retention period. Applied when each object is created (the archive's
 * multipart upload, the manifest, the roles file); the storage class goes on archives only, so that
 * manifests stay readable at once by {@code list}, {@code restore} and retention.
 */
public record ServerSide(
    Optional<Encryption> encryption,
    Optional<String> storageClass,
    Map<String, String> tags,
    Optional<ObjectLock> objectLock) {

  public static final String SSE_INPUT = "s3-sse";
  public static final String KMS_KEY_INPUT = "s3-kms-key-id";
  public static final String STORAGE_CLASS_INPUT = "s3-storage-class";
  public static final String TAGS_INPUT = "s3-tags";
  public static final String LOCK_MODE_INPUT = "s3-object-lock-mode";
  public static final String LOCK_DAYS_INPUT = "s3-object-lock-days";

  /** The classes S3 documents for PutObject. */
  public static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
          "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "EXPRESS_ONEZONE");

  /** Classes whose objects must be restored (thawed) with RestoreObject before they can be read. */
  public static final Set<String> THAW_NEEDED = Set.of("GLACIER", "DEEP_ARCHIVE");

  private static final int MAX_TAGS = 10;
  private static final int MAX_LOCK_DAYS = 36_500;

  public static final ServerSide NONE =
      new ServerSide(Optional.empty(), Optional.empty(), Map.of(), Optional.empty());

  /** {@code algorithm} as S3 spells it: AES256, aws:kms or aws:kms:dsse. */
  public record Encryption(String algorithm, Optional<String> kmsKeyId) {}

  public enum LockMode {
    GOVERNANCE,
    COMPLIANCE
  }

  public record ObjectLock(LockMode mode, int days) {
    /** The retain-until date of an object created at {@code now}. */
    public Instant retainUntil(Instant now) {
      return now.plus(Duration.ofDays(days));
    }
  }

  public ServerSide {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /**
   * Checks the inputs together (null: not given). {@code s3-kms-key-id} alone means {@code aws:kms};
   * with {@code AES256} it is refused.
   */
  public static ServerSide of(
      String sse, String kmsKeyId, String storageClass, String tags, String lockMode, String lockDays) {
    return new ServerSide(
        encryption(blankToNull(sse), blankToNull(kmsKeyId)),
        Optional.ofNullable(blankToNull(storageClass)).map(ServerSide::storageClass),
        parseTags(blankToNull(tags)),
        lock(blankToNull(lockMode), blankToNull(lockDays)));
  }

  /** Whether a read of an object in {@code storageClass} needs a thaw first. */
  public static boolean needsThaw(String storageClass) {
    return storageClass != null && THAW_NEEDED.contains(storageClass);
  }

  /** The tags as S3's x-amz-tagging header carries them: a URL-encoded query string. */
  public Optional<String> taggingHeader() {
    if (tags.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        tags.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&")));
  }

  private static Optional<Encryption> encryption(String sse, String givenKmsKeyId) {
    String kmsKeyId = givenKmsKeyId == null ? null : givenKmsKeyId.strip();
    if (kmsKeyId != null && !kmsKeyId.matches("[A-Za-z0-9:/_+=,.@-]{1,2048}")) {
      throw new InputException(
          KMS_KEY_INPUT + " must be a KMS key id, key ARN, alias name or alias ARN (got '" + kmsKeyId + "')");
    }
    if (sse == null) {
      return Optional.ofNullable(kmsKeyId).map(id -> new Encryption("aws:kms", Optional.of(id)));
    }
    String algorithm;
    switch (sse.strip().toLowerCase(Locale.ROOT)) {
      case "aes256":
        algorithm = "AES256";
        break;
      case "aws:kms":
        algorithm = "aws:kms";
        break;
      case "aws:kms:dsse":
        algorithm = "aws:kms:dsse";
        break;
      default:
        throw new InputException(SSE_INPUT + " '" + sse + "' is not one of: AES256, aws:kms, aws:kms:dsse");
    }
    if (algorithm.equals("AES256") && kmsKeyId != null) {
      throw new InputException(
          KMS_KEY_INPUT + " goes with " + SSE_INPUT + ": aws:kms or aws:kms:dsse, not AES256");
    }
    return Optional.of(new Encryption(algorithm, Optional.ofNullable(kmsKeyId)));
  }

  private static String storageClass(String given) {
    String value = given.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    if (!STORAGE_CLASSES.contains(value)) {
      throw new InputException(
          STORAGE_CLASS_INPUT + " '" + given + "' is not one of: "
              + STORAGE_CLASSES.stream().sorted().collect(Collectors.joining(", ")));
    }
    return value;
  }

  /** {@code key=value} pairs separated by commas or newlines (S3 allows neither in a tag). */
  static Map<String, String> parseTags(String text) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (text == null) {
      return tags;
    }
    for (String pair : text.split("[,\\n]")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw new InputException(TAGS_INPUT + " takes key=value pairs separated by commas (got '" + pair.strip() + "')");
      }
      String key = pair.substring(0, equals).strip();
      String value = pair.substring(equals + 1).strip();
      checkTag(key, value);
      if (tags.put(key, value) != null) {
        throw new InputException(TAGS_INPUT + " names the tag '" + key + "' twice");
      }
    }
    if (tags.size() > MAX_TAGS) {
      throw new InputException(TAGS_INPUT + " has " + tags.size() + " tags; S3 allows at most " + MAX_TAGS + " on an object");
    }
    return tags;
  }

  private static void checkTag(String key, String value) {
    String allowed = "[\\p{L}\\p{N} +\\-=._:/@]";
    if (key.isEmpty() || key.length() > 128 || !key.matches(allowed + "+")) {
      throw new InputException(
          TAGS_INPUT + ": a tag key is 1 to 128 letters, digits, spaces or + - = . _ : / @ (got '" + key + "')");
    }
    if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
      throw new InputException(TAGS_INPUT + ": tag keys starting with aws: are reserved by AWS (got '" + key + "')");
    }
    if (value.length() > 256 || !value.matches(allowed + "*")) {
      throw new InputException(
          TAGS_INPUT + ": a tag value is up to 256 letters, digits, spaces or + - = . _ : / @ (got '"
              + value + "' for '" + key + "')");
    }
  }

  private static Optional<ObjectLock> lock(String mode, String days) {
    if (mode == null && days == null) {
      return Optional.empty();
    }
    if (mode == null || days == null) {
      throw new InputException(
          LOCK_MODE_INPUT + " and " + LOCK_DAYS_INPUT + " go together: give both (e.g. GOVERNANCE and 30), or neither");
    }
    LockMode lockMode;
    try {
      lockMode = LockMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException(LOCK_MODE_INPUT + " '" + mode + "' is not one of: GOVERNANCE, COMPLIANCE");
    }
    int count;
    try {
      count = Integer.parseInt(days.strip());
    } catch (NumberFormatException e) {
      count = -1;
    }
    if (count < 1 || count > MAX_LOCK_DAYS) {
      throw new InputException(
          LOCK_DAYS_INPUT + " must be a whole number of days from 1 to " + MAX_LOCK_DAYS + " (got '" + days + "')");
    }
    return Optional.of(new ObjectLock(lockMode, count));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
