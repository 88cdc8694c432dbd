package dev.neonbackup.catalog;

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
 * Where one archive lives: {@code <prefix><database>/<database>-<YYYYMMDDTHHMMSSZ>.dump}. The
 * timestamp is UTC in ISO-8601 basic form, so the keys of one database sort chronologically.
 * Characters of a database name other than {@code A-Z a-z 0-9 . _ -} are percent-encoded (UTF-8),
 * so the name stays one path segment.
 */
public record BackupKey(String prefix, String database, Instant timestamp) {
  public static final String SUFFIX = ".dump";
  public static final String MANIFEST_SUFFIX = ".json";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);

  public BackupKey {
    timestamp = timestamp.truncatedTo(ChronoUnit.SECONDS);
  }

  public static BackupKey at(String prefix, String database, Clock clock) {
    return new BackupKey(prefix, database, clock.instant());
  }

  public String key() {
    String segment = encodeSegment(database);
    return prefix + segment + "/" + segment + "-" + STAMP.format(timestamp) + SUFFIX;
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
    return new BackupKey(prefix, database, timestamp.plusSeconds(1));
  }

  /**
   * Reads a key back, if and only if it is exactly this tool's name for an archive of {@code
   * database} under {@code prefix}; anything else (foreign files, manifests, other databases,
   * malformed stamps) gives empty.
   */
  public static Optional<BackupKey> parse(String prefix, String database, String key) {
    String segment = encodeSegment(database);
    String head = prefix + segment + "/" + segment + "-";
    if (!key.startsWith(head) || !key.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    String stamp = key.substring(head.length(), key.length() - SUFFIX.length());
    if (stamp.length() != 16) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BackupKey(prefix, database, STAMP.parse(stamp, Instant::from)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads any key that is this tool's name for an archive of some database under {@code prefix}:
   * {@code <prefix><segment>/<segment>-<stamp>.dump} with the same segment twice. The database
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
