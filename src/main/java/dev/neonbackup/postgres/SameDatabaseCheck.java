package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Redactor;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Whether two connection strings reach the same database, asked of the servers, never read from
 * the text (host names, addresses, host lists, ports and poolers all have many spellings). A marker
 * schema with a random name is made in the target, then looked up through the source in {@code
 * pg_namespace}, which every role can read, so a missing privilege never reads as "absent". The
 * source is never written to; the marker is always dropped again.
 *
 * <p>A source that is a standby (a read replica) sees the marker only once it has replayed it: it
 * is waited for until the standby has replayed a commit made after the marker (then its absence
 * means "another database"), or for {@link #STANDBY_WAIT}, after which the question is undecided
 * and refused.
 */
public final class SameDatabaseCheck {
  static final String MARKER_PREFIX = "neon_backup_marker_";
  static final Duration STANDBY_WAIT = Duration.ofSeconds(30);
  static final Duration POLL = Duration.ofMillis(500);

  /** What one look through the source saw. */
  record Look(boolean markerSeen, boolean standby, boolean replayedPastMarker) {}

  enum Verdict {
    SAME,
    DIFFERENT,
    WAIT
  }

  private final PgInstallation psql;
  private final Redactor redactor;
  private final Consumer<String> warn;
  private final ServerProbe.Sleeper sleeper;
  private final Duration standbyWait;

  public SameDatabaseCheck(PgInstallation psql, Redactor redactor, Consumer<String> warn) {
    this(psql, redactor, warn, ServerProbe.SLEEP, STANDBY_WAIT);
  }

  SameDatabaseCheck(
      PgInstallation psql,
      Redactor redactor,
      Consumer<String> warn,
      ServerProbe.Sleeper sleeper,
      Duration standbyWait) {
    this.psql = psql;
    this.redactor = redactor;
    this.warn = warn;
    this.sleeper = sleeper;
    this.standbyWait = standbyWait;
  }

  /** The decision from one look: seen means the same database; a standby may not have it yet. */
  static Verdict decide(Look look) {
    if (look.markerSeen()) {
      return Verdict.SAME;
    }
    return look.standby() && !look.replayedPastMarker() ? Verdict.WAIT : Verdict.DIFFERENT;
  }

  /** A schema name no one else uses: the prefix and 16 random hex digits. */
  static String newMarker() {
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    return MARKER_PREFIX + HexFormat.of().formatHex(random);
  }

  /**
   * True when {@code source} and {@code target} are the same database. Failing to reach the source
   * is {@code sourceFailure}, the target {@code targetFailure}; an undecided answer is bad input.
   */
  public boolean same(
      ConnectionString source,
      FailureKind sourceFailure,
      ConnectionString target,
      FailureKind targetFailure) {
    String marker = newMarker();
    onTarget(target, targetFailure, source, "CREATE SCHEMA " + marker);
    try {
      return answer(source, sourceFailure, target, targetFailure, marker);
    } finally {
      try {
        onTarget(target, targetFailure, source, "DROP SCHEMA IF EXISTS " + marker);
      } catch (FailureException e) {
        warn.accept("could not drop the marker schema " + marker + ": " + e.getMessage());
      }
    }
  }

  private boolean answer(
      ConnectionString source,
      FailureKind sourceFailure,
      ConnectionString target,
      FailureKind targetFailure,
      String marker) {
    Look look = look(source, sourceFailure, marker, "NULL");
    if (decide(look) != Verdict.WAIT) {
      return decide(look) == Verdict.SAME;
    }
    String after = onTarget(target, targetFailure, source, "SELECT clock_timestamp()").get(0);
    onTarget(target, targetFailure, source, "COMMENT ON SCHEMA " + marker + " IS 'neon-backup-action'");
    long deadline = System.nanoTime() + standbyWait.toNanos();
    while (decide(look) == Verdict.WAIT) {
      if (System.nanoTime() - deadline > 0) {
        throw undecided(source, target);
      }
      pause();
      look = look(source, sourceFailure, marker, "'" + after.replace("'", "''") + "'::timestamptz");
    }
    return decide(look) == Verdict.SAME;
  }

  private Look look(
      ConnectionString source, FailureKind sourceFailure, String marker, String after) {
    String row =
        Psql.query(
                psql,
                source,
                redactor,
                "SELECT pg_is_in_recovery()::text || '|' || EXISTS (SELECT 1 FROM pg_namespace"
                    + " WHERE nspname = '" + marker + "')::text || '|' ||"
                    + " coalesce(pg_last_xact_replay_timestamp() > " + after + ", false)::text",
                sourceFailure)
            .get(0);
    String[] fields = row.strip().split("\\|");
    return new Look("true".equals(fields[1]), "true".equals(fields[0]), "true".equals(fields[2]));
  }

  private List<String> onTarget(
      ConnectionString target, FailureKind failure, ConnectionString source, String sql) {
    try {
      return Psql.query(psql, target, redactor, sql, failure);
    } catch (FailureException e) {
      throw new FailureException(
          failure,
          target.inputName()
              + ": could not write the marker schema that tells whether it is the database "
              + source.inputName()
              + " names: "
              + e.getMessage(),
          e);
    }
  }

  private void pause() {
    try {
      sleeper.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailureException(FailureKind.INTERNAL, "interrupted while waiting for a standby", e);
    }
  }

  private InputException undecided(ConnectionString source, ConnectionString target) {
    return new InputException(
        "cannot tell whether "
            + target.inputName()
            + " is the database "
            + source.inputName()
            + " names: "
            + source.inputName()
            + " reaches a standby that replayed neither the marker schema made through "
            + target.inputName()
            + " nor anything newer within "
            + standbyWait.toSeconds()
            + " s; give "
            + target.inputName()
            + " a database that is certainly another one, or a source that is not a standby");
  }
}
