package dev.neonbackup.neon;

import dev.neonbackup.failure.InputException;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks of the Neon inputs, each message naming its input. A refused project id or branch is
 * not quoted: a key pasted into the wrong input must not reach the log.
 */
public final class NeonInputs {
  public static final String API_KEY = "neon-api-key";
  public static final String PROJECT_ID = "neon-project-id";
  public static final String BRANCH = "neon-branch";
  public static final String SNAPSHOT_TIMESTAMP = "snapshot-timestamp";
  public static final String API_URL = "neon-api-url";
  public static final String TARGET_BRANCH = "target-branch";
  public static final String TARGET_BRANCH_TTL = "target-branch-ttl";
  /** The longest branch name Neon takes (BranchCreateRequest's maxLength). */
  public static final int MAX_BRANCH_NAME = 256;

  private NeonInputs() {}

  /**
   * Whether {@code neon-api-url} asks for an API other than Neon's own. The runner sets every input
   * that action.yml gives a default, so Neon's URL (its default there) is no choice of the user's.
   */
  public static boolean otherApiUrl(String given) {
    return given != null && !given.isBlank() && !apiUrl(Optional.of(given)).equals(URI.create(NeonApi.DEFAULT_URL));
  }

  /** The {@code neon-api-url} input: empty means Neon's own; else an http(s) URL. */
  public static URI apiUrl(Optional<String> given) {
    String text = given.map(String::strip).filter(s -> !s.isEmpty()).orElse(NeonApi.DEFAULT_URL);
    try {
      URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      if ((scheme.equals("https") || (scheme.equals("http") && loopback(uri.getHost())))
          && uri.getHost() != null
          && uri.getRawQuery() == null
          && uri.getRawUserInfo() == null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the message below.
    }
    throw new InputException(
        API_URL + " must be an https URL without a query, such as " + NeonApi.DEFAULT_URL
            + " (plain http only to this machine: the key travels in every request)");
  }

  private static boolean loopback(String host) {
    return host != null
        && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1"));
  }

  /** neon-project-id as the API's paths take it: 1 to 60 of a-z, 0-9 and -. */
  public static String projectId(String value) {
    String id = value.strip();
    if (!id.matches("[a-z0-9-]{1,60}")) {
      throw new InputException(
          PROJECT_ID
              + " must be a Neon project id: 1 to 60 lower-case letters, digits and hyphens, such"
              + " as shiny-wind-028834 (Settings of the project in the Neon console)");
    }
    return id;
  }

  /** neon-branch: a branch id ({@code br-...}) or a branch name of at most 256 characters. */
  public static String branch(String value) {
    String branch = value.strip();
    boolean validId = branch.matches("br-[a-z0-9-]{1,57}");
    if (Branch.looksLikeId(branch) ? !validId : branch.isEmpty() || branch.length() > MAX_BRANCH_NAME) {
      throw new InputException(
          BRANCH
              + " must be a branch id (br-..., lower-case letters, digits and hyphens) or a"
              + " branch name of at most 256 characters");
    }
    return branch;
  }

  /**
   * target-branch: the name of a branch to create, 1 to 256 characters without control characters,
   * and not in the form of an id ({@code br-...}), which neon-branch would read as one.
   */
  public static String newBranchName(String value) {
    String name = value.strip();
    if (name.isEmpty()
        || name.length() > MAX_BRANCH_NAME
        || name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)
        || Branch.looksLikeId(name)) {
      throw new InputException(
          TARGET_BRANCH
              + " must be a new branch name of 1 to "
              + MAX_BRANCH_NAME
              + " characters, without control characters and not starting with br- (the form of"
              + " a branch id)");
    }
    if (BranchNames.isOurs(name)) {
      throw new InputException(
          TARGET_BRANCH + " must not take the form of the backup's temporary branches"
              + " (neon-backup-<timestamp>): a backup run would sweep the kept branch as its own");
    }
    return name;
  }

  /**
   * snapshot-timestamp: RFC 3339 with an offset (2026-11-20T12:00:00Z, or +01:00), not after {@code
   * now}. Whether it is within the project's restore window only Neon knows.
   */
  public static Instant snapshotTimestamp(String value, Instant now) {
    String text = value.strip().toUpperCase(Locale.ROOT);
    Instant at;
    try {
      at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InputException(
          SNAPSHOT_TIMESTAMP
              + " must be an RFC 3339 time with its offset, such as 2026-11-20T12:00:00Z (got '"
              + value.strip()
              + "')");
    }
    if (at.isAfter(now)) {
      throw new InputException(
          SNAPSHOT_TIMESTAMP + " " + BranchNames.rfc3339(at) + " is in the future");
    }
    return at;
  }

  /**
   * The branch's page in the Neon Console, on the API's host: https://console.neon.tech for
   * Neon's own API ({@code apiUrl} as {@link NeonInputs#apiUrl} checks it).
   */
  public static String consoleUrl(java.net.URI apiUrl, String projectId, String branchId) {
    return apiUrl.getScheme() + "://" + apiUrl.getRawAuthority() + "/app/projects/" + projectId
        + "/branches/" + branchId;
  }
}
