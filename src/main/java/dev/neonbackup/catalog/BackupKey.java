package dev.neonbackup.catalog;

import dev.neonbackup.failure.InputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where one archive lives: {@code <prefix><database>/<database>-<YYYYMMDDTHHMMSSZ>.dump}, or
 * {@code .dump.age} when it is encrypted (both kinds of one database are one series). The
 * timestamp is UTC in ISO-8601 basic form, so the keys of one database sort chronologically.
 * Characters of a database name other than {@code A-Z a-z 0-9 . _ -} are percent-encoded (UTF-8),
 * so the name stays one path segment; a name that is just {@code .} or {@code ..} is encoded
 * whole ({@code %2E}, {@code %2E%2E}), so it is never a path step. Every other name is spelled as
 * before, so older keys read the same.
 */
public record BackupKey(String prefix, String database, Instant timestamp, boolean encrypted) {
  public static final String SUFFIX = ".dump";
  /** What an archive encrypted with age adds to {@link #SUFFIX}. */
  public static final String AGE_SUFFIX = ".age";
  public static final String MANIFEST_SUFFIX = ".json";

  /** The longest key S3 takes, in bytes of UTF-8. */
  public static final int MAX_KEY_BYTES = 1024;

  /**
   * What a key adds to its prefix at the most: the folder and file name of PostgreSQL's longest
   * database name (63 bytes, each percent-encoded to 3), the stamp, and the manifest's suffix.
   */
  public static final int LONGEST_NAME_PART_BYTES =
      2 * 3 * 63 + "/-".length() + "uuuuMMddTHHmmssZ".length() + SUFFIX.length()
          + AGE_SUFFIX.length() + MANIFEST_SUFFIX.length();

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);

  public BackupKey {
    timestamp = timestamp.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The key of an archive stored in the clear. */
  public BackupKey(String prefix, String database, Instant timestamp) {
    this(prefix, database, timestamp, false);
  }

  /** The same database and second, encrypted or not as asked. */
  public BackupKey withEncryption(boolean encrypt) {
    return new BackupKey(prefix, database, timestamp, encrypt);
  }

  public static BackupKey at(String prefix, String database, Clock clock) {
    return new BackupKey(prefix, database, clock.instant());
  }

  /**
   * Refuses, up front, a prefix with which some database's manifest key would be longer than S3
   * takes: the run would otherwise fail after the dump.
   */
  public static void requireShortEnough(String prefix) {
    int bytes = prefix.getBytes(StandardCharsets.UTF_8).length;
    int most = MAX_KEY_BYTES - LONGEST_NAME_PART_BYTES;
    if (bytes > most) {
      throw new InputException(
          "s3-prefix is too long: " + bytes + " bytes of UTF-8; keys under it could exceed S3's "
              + MAX_KEY_BYTES + "-byte limit, so use at most " + most + " bytes");
    }
  }

  public String key() {
    String segment = encodeSegment(database);
    return prefix + segment + "/" + segment + "-" + STAMP.format(timestamp) + SUFFIX
        + (encrypted ? AGE_SUFFIX : "");
  }

  /** A timestamp as keys spell it: UTC, ISO-8601 basic, e.g. 20261121T031500Z. */
  public static String stamp(Instant instant) {
    return STAMP.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  public String manifestKey() {
    return manifestKeyOf(key());
  }

  /** Where the manifest of the archive at {@code archiveKey} lives: beside it. */
  public static String manifestKeyOf(String archiveKey) {
    return archiveKey + MANIFEST_SUFFIX;
  }

  /** Where a run's roles script lives: {@code <prefix>_roles/roles-<stamp>.sql}. */
  public static String rolesKey(String prefix, Instant stamp) {
    return prefix + "_roles/roles-" + stamp(stamp) + ".sql";
  }

  /** The folder that holds every archive of this database. */
  public String databaseFolder() {
    return prefix + encodeSegment(database) + "/";
  }

  public BackupKey nextSecond() {
    return new BackupKey(prefix, database, timestamp.plusSeconds(1), encrypted);
  }

  /**
   * Reads a key back, if and only if it is exactly this tool's name for an archive of {@code
   * database} under {@code prefix}; anything else (foreign files, manifests, other databases,
   * malformed stamps) gives empty.
   */
  public static Optional<BackupKey> parse(String prefix, String database, String key) {
    String segment = encodeSegment(database);
    String head = prefix + segment + "/" + segment + "-";
    boolean encrypted = key.endsWith(SUFFIX + AGE_SUFFIX);
    String suffix = encrypted ? SUFFIX + AGE_SUFFIX : SUFFIX;
    if (!key.startsWith(head) || !key.endsWith(suffix)) {
      return Optional.empty();
    }
    String stamp = key.substring(head.length(), key.length() - suffix.length());
    if (stamp.length() != 16) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new BackupKey(prefix, database, STAMP.parse(stamp, Instant::from), encrypted));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads any key that is this tool's name for an archive of some database under {@code prefix}:
   * {@code <prefix><segment>/<segment>-<stamp>.dump[.age]} with the same segment twice. The database
   * name comes back decoded; a key whose segment is not this tool's encoding of a name is refused.
   */
  public static Optional<BackupKey> parseAny(String prefix, String key) {
    if (!key.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = key.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    return decodeSegment(rest.substring(0, slash))
        .flatMap(database -> parse(prefix, database, key));
  }

  private static Optional<String> decodeSegment(String segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        out.write(c);
        continue;
      }
      if (i + 2 >= segment.length()) {
        return Optional.empty();
      }
      try {
        out.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      i += 2;
    }
    String name = out.toString(StandardCharsets.UTF_8);
    return encodeSegment(name).equals(segment) ? Optional.of(name) : Optional.empty();
  }

  static String encodeSegment(String name) {
    if (name.equals(".") || name.equals("..")) {
      return name.replace(".", "%2E"); // never a path step: "." and ".." are encoded whole
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (plain) {
        out.write(c);
      } else {
        out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
