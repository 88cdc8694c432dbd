package dev.neonbackup.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /projects/{project_id}/branches} as the stand-in understands it, checked
 * the way Neon checks it: {@code expires_at} RFC 3339 with at most second precision and in the
 * future (or refused outright for an account without early access), {@code parent_timestamp} inside
 * the project's restore window.
 */
record NeonBranchRequest(
    String name,
    String parentId,
    String parentLsn,
    String parentTimestamp,
    String expiresAt,
    boolean readWriteEndpoint) {

  /** RFC 3339 date-time with no fraction of a second. */
  private static final Pattern SECOND_PRECISION =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})");

  /** What the stand-in accepts from a client; {@link NeonApiStandIn}'s switches decide. */
  record Rules(Instant now, Duration restoreWindow, boolean expiresAtAllowed) {}

  static NeonBranchRequest parse(Map<String, Object> body, Rules rules) {
    Map<?, ?> branch = body.get("branch") instanceof Map<?, ?> m ? m : Map.of();
    String name = text(branch, "name");
    if (name != null && (name.isEmpty() || name.length() > 256)) {
      throw NeonApiError.badRequest("branch.name must be 1 to 256 characters long");
    }
    String parentTimestamp = text(branch, "parent_timestamp");
    if (parentTimestamp != null) {
      checkParentTimestamp(parentTimestamp, rules);
    }
    String expiresAt = text(branch, "expires_at");
    if (expiresAt != null) {
      checkExpiresAt(expiresAt, rules);
    }
    String parentId = text(branch, "parent_id");
    return new NeonBranchRequest(
        name,
        parentId == null || parentId.isEmpty() ? null : parentId,
        text(branch, "parent_lsn"),
        parentTimestamp,
        expiresAt,
        readWriteEndpoint(body));
  }

  private static void checkParentTimestamp(String value, Rules rules) {
    Instant at = dateTime("parent_timestamp", value);
    Instant earliest = rules.now().minus(rules.restoreWindow());
    if (at.isBefore(earliest) || at.isAfter(rules.now())) {
      throw NeonApiError.badRequest(
          "parent_timestamp "
              + value
              + " is outside of the project's history retention window ("
              + NeonJson.time(earliest)
              + " to "
              + NeonJson.time(rules.now())
              + ")");
    }
  }

  private static void checkExpiresAt(String value, Rules rules) {
    if (!rules.expiresAtAllowed()) {
      throw NeonApiError.badRequest(
          "expires_at: branch expiration is available to Early Access Program participants only");
    }
    if (!SECOND_PRECISION.matcher(value).matches()) {
      throw NeonApiError.badRequest(
          "expires_at must be an RFC 3339 timestamp with at most second precision, such as"
              + " 2025-06-09T18:02:16Z; got "
              + value);
    }
    if (!dateTime("expires_at", value).isAfter(rules.now())) {
      throw NeonApiError.badRequest("expires_at must be in the future; got " + value);
    }
  }

  private static Instant dateTime(String field, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw NeonApiError.badRequest(field + " must be an RFC 3339 date-time; got " + value);
    }
  }

  private static boolean readWriteEndpoint(Map<String, Object> body) {
    if (!(body.get("endpoints") instanceof List<?> endpoints)) {
      return false;
    }
    for (Object endpoint : endpoints) {
      if (!(endpoint instanceof Map<?, ?> options) || !"read_write".equals(options.get("type"))) {
        throw NeonApiError.badRequest(
            "endpoints[].type must be read_write (read_only is not" + " offered by the stand-in)");
      }
    }
    if (endpoints.size() > 1) {
      throw NeonApiError.badRequest("a branch can have only one read_write endpoint");
    }
    return !endpoints.isEmpty();
  }

  private static String text(Map<?, ?> object, String field) {
    Object value = object.get(field);
    if (value != null && !(value instanceof String)) {
      throw NeonApiError.badRequest("branch." + field + " must be a string");
    }
    return (String) value;
  }
}
