package dev.neonbackup.neon;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the branches this program creates, {@code neon-backup-<YYYYMMDDTHHMMSSZ>-<6 hex>},
 * and which of them a run may sweep. The random part keeps two runs started in the same second (a
 * matrix of jobs) apart: each finds, adopts and deletes only its own. Pure but for {@link
 * #randomToken}: tests give it fixed instants and tokens.
 */
public final class BranchNames {
  public static final String PREFIX = "neon-backup-";

  /** A branch of ours older than this is left over, whatever its expiry says. */
  public static final Duration STALE_AGE = Duration.ofHours(24);

  private static final Pattern OURS = Pattern.compile("neon-backup-[0-9]{8}T[0-9]{6}Z(-[0-9a-f]{6})?");
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private BranchNames() {}

  /** The name of the branch of the run that started at {@code runTime}, without a token. */
  public static String forRun(Instant runTime) {
    return forRun(runTime, "");
  }

  /** The name of the branch of the run that started at {@code runTime}; {@code token} may be empty. */
  public static String forRun(Instant runTime, String token) {
    return PREFIX + BASIC.format(runTime) + (token.isEmpty() ? "" : "-" + token);
  }

  /** Six random hex digits. */
  public static String randomToken() {
    return String.format(java.util.Locale.ROOT, "%06x", RANDOM.nextInt(1 << 24));
  }

  /** Whether {@code name} is exactly a name {@link #forRun} gives. */
  public static boolean isOurs(String name) {
    return OURS.matcher(name).matches();
  }

  /**
   * RFC 3339 in UTC with second precision (what {@code expires_at} accepts): 2026-11-21T03:15:00Z.
   */
  public static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * The branches a run may delete before it creates its own: named as ours, neither default nor
   * protected, and either expired or created more than {@link #STALE_AGE} ago. A branch of a
   * parallel run is younger and not expired, so it is never chosen. A branch of ours whose creation
   * time Neon did not give is kept unless it expired.
   */
  public static List<Branch> stale(List<Branch> branches, Instant now) {
    return branches.stream()
        .filter(branch -> isOurs(branch.name()))
        .filter(branch -> !branch.isDefault() && !branch.isProtected())
        .filter(
            branch ->
                branch.expiresAt().map(at -> !at.isAfter(now)).orElse(false)
                    || branch
                        .createdAt()
                        .map(at -> at.isBefore(now.minus(STALE_AGE)))
                        .orElse(false))
        .toList();
  }
}
