package dev.neonbackup.backup;

import dev.neonbackup.catalog.BackupKey;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which archives of one database to keep, grandfather-father-son style like restic's {@code forget}
 * or borg's {@code prune}. A backup is kept if any configured rule keeps it:
 *
 * <ul>
 *   <li>{@code keep-last N}: the N newest;
 *   <li>{@code keep-days D}: every backup stamped at or after {@code now - D days} (inclusive, so a
 *       backup exactly D days old is kept; backups stamped after {@code now} are kept too);
 *   <li>{@code keep-daily/weekly/monthly N}: for each of the N most recent UTC days, ISO weeks or
 *       months that have a backup, the newest backup of that period. Periods without a backup do
 *       not count.
 * </ul>
 *
 * <p>On top of the rules, the key just stored is always kept, and if the rules would delete every
 * backup the newest one is kept. Ordering is by the timestamp in the key only.
 */
public record RetentionPolicy(
    OptionalInt keepLast,
    OptionalInt keepDays,
    OptionalInt keepDaily,
    OptionalInt keepWeekly,
    OptionalInt keepMonthly) {
  public static final String KEEP_LAST = "keep-last";
  public static final String KEEP_DAYS = "keep-days";
  public static final String KEEP_DAILY = "keep-daily";
  public static final String KEEP_WEEKLY = "keep-weekly";
  public static final String KEEP_MONTHLY = "keep-monthly";

  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Comparator<Backup> NEWEST_FIRST =
      Comparator.comparing(Backup::timestamp).thenComparing(Backup::key).reversed();

  public RetentionPolicy {
    requireAtLeastOne(KEEP_LAST, keepLast);
    requireAtLeastOne(KEEP_DAYS, keepDays);
    requireAtLeastOne(KEEP_DAILY, keepDaily);
    requireAtLeastOne(KEEP_WEEKLY, keepWeekly);
    requireAtLeastOne(KEEP_MONTHLY, keepMonthly);
  }

  /**
   * What to do with the archives of one database.
   *
   * <p>{@code keep} (newest first) and {@code delete} (oldest first) hold only archive keys that
   * {@link BackupKey#parse} accepts for that database and prefix; every other key in the listing
   * (foreign files, manifests, other databases, malformed stamps) is in neither list, and so is an
   * unparseable just-stored key. {@code reasons} says, for each kept key and in the order of {@code
   * keep}, why it is kept; several reasons are joined with {@code ", "}. Manifests are not listed:
   * the caller deletes each archive's manifest along with it.
   */
  public record Decision(List<String> keep, List<String> delete, Map<String, String> reasons) {
    public Decision {
      keep = List.copyOf(keep);
      delete = List.copyOf(delete);
      reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }
  }

  /** Nothing configured: retention does not run. */
  public boolean isEmpty() {
    return keepLast.isEmpty()
        && keepDays.isEmpty()
        && keepDaily.isEmpty()
        && keepWeekly.isEmpty()
        && keepMonthly.isEmpty();
  }

  /**
   * Reads the raw inputs; null or blank leaves a rule unset, anything else must be a whole number
   * of at least 1.
   */
  public static RetentionPolicy parse(
      String keepLast, String keepDays, String keepDaily, String keepWeekly, String keepMonthly) {
    return new RetentionPolicy(
        count(KEEP_LAST, keepLast),
        count(KEEP_DAYS, keepDays),
        count(KEEP_DAILY, keepDaily),
        count(KEEP_WEEKLY, keepWeekly),
        count(KEEP_MONTHLY, keepMonthly));
  }

  /**
   * Decides which archives of {@code database} under {@code prefix} to keep and which to delete.
   *
   * @param keys the listing; keys this tool did not name for this database are left alone
   * @param justStored the key just written (kept whatever the rules say, and counted as a backup
   *     even if the listing missed it), or null when nothing was just stored
   * @param now the reference for {@code keep-days}
   */
  public Decision decide(
      String prefix, String database, List<String> keys, String justStored, Instant now) {
    Objects.requireNonNull(now, "now");
    Optional<Backup> stored =
        Optional.ofNullable(justStored).flatMap(k -> parsed(prefix, database, k));
    List<Backup> newestFirst = backups(prefix, database, keys, stored);

    Map<String, List<String>> why = new LinkedHashMap<>();
    if (isEmpty()) {
      newestFirst.forEach(b -> because(why, b, "no retention policy"));
      return decision(newestFirst, why);
    }
    stored.ifPresent(b -> because(why, b, "just stored"));
    keepLast.ifPresent(n -> keepNewest(why, newestFirst, n));
    keepDays.ifPresent(d -> keepWithin(why, newestFirst, now.minus(Duration.ofDays(d)), d));
    keepDaily.ifPresent(n -> keepPerPeriod(why, newestFirst, n, "daily", RetentionPolicy::day));
    keepWeekly.ifPresent(n -> keepPerPeriod(why, newestFirst, n, "weekly", RetentionPolicy::week));
    keepMonthly.ifPresent(
        n -> keepPerPeriod(why, newestFirst, n, "monthly", RetentionPolicy::month));
    if (why.isEmpty() && !newestFirst.isEmpty()) {
      because(why, newestFirst.get(0), "newest");
    }
    return decision(newestFirst, why);
  }

  private record Backup(String key, Instant timestamp) {}

  private static List<Backup> backups(
      String prefix, String database, List<String> keys, Optional<Backup> stored) {
    Set<String> distinct = new LinkedHashSet<>(keys);
    List<Backup> backups = new ArrayList<>(distinct.size() + 1);
    for (String key : distinct) {
      parsed(prefix, database, key).ifPresent(backups::add);
    }
    stored.filter(b -> !distinct.contains(b.key())).ifPresent(backups::add);
    backups.sort(NEWEST_FIRST);
    return backups;
  }

  private static Optional<Backup> parsed(String prefix, String database, String key) {
    return BackupKey.parse(prefix, database, key).map(k -> new Backup(key, k.timestamp()));
  }

  private static void keepNewest(Map<String, List<String>> why, List<Backup> newestFirst, int n) {
    newestFirst.stream().limit(n).forEach(b -> because(why, b, "last " + n));
  }

  private static void keepWithin(
      Map<String, List<String>> why, List<Backup> newestFirst, Instant cutoff, int days) {
    for (Backup backup : newestFirst) {
      if (backup.timestamp().isBefore(cutoff)) {
        return;
      }
      because(why, backup, "within " + days + (days == 1 ? " day" : " days"));
    }
  }

  /** Keeps the newest backup of each of the {@code n} most recent periods that have one. */
  private static void keepPerPeriod(
      Map<String, List<String>> why,
      List<Backup> newestFirst,
      int n,
      String label,
      Function<Instant, String> period) {
    String current = null;
    int periods = 0;
    for (Backup backup : newestFirst) {
      String p = period.apply(backup.timestamp());
      if (p.equals(current)) {
        continue;
      }
      if (periods == n) {
        return;
      }
      current = p;
      periods++;
      because(why, backup, label + " " + p);
    }
  }

  private static String day(Instant timestamp) {
    return LocalDate.ofInstant(timestamp, ZoneOffset.UTC).toString();
  }

  private static String week(Instant timestamp) {
    LocalDate date = LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
    return String.format(
        "%d-W%02d",
        date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  private static String month(Instant timestamp) {
    return YearMonth.from(LocalDate.ofInstant(timestamp, ZoneOffset.UTC)).toString();
  }

  private static void because(Map<String, List<String>> why, Backup backup, String reason) {
    why.computeIfAbsent(backup.key(), k -> new ArrayList<>()).add(reason);
  }

  private static Decision decision(List<Backup> newestFirst, Map<String, List<String>> why) {
    List<String> keep = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    for (Backup backup : newestFirst) {
      List<String> because = why.get(backup.key());
      if (because == null) {
        delete.add(backup.key());
      } else {
        keep.add(backup.key());
        reasons.put(backup.key(), String.join(", ", because));
      }
    }
    Collections.reverse(delete);
    return new Decision(keep, delete, reasons);
  }

  /** One rule's input: null or blank is unset, anything else a whole number of at least 1. */
  public static OptionalInt count(String inputName, String value) {
    Optional<String> given = Inputs.optional(value);
    if (given.isEmpty()) {
      return OptionalInt.empty();
    }
    String text = given.get();
    if (!DIGITS.matcher(text).matches()) {
      throw new InputException(
          inputName + " must be a whole number of at least 1 (got '" + text + "')");
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InputException(
          inputName + " must be at most " + Integer.MAX_VALUE + " (got '" + text + "')");
    }
    if (n < 1) {
      throw new InputException(
          inputName + " must be a whole number of at least 1 (got '" + text + "')");
    }
    return OptionalInt.of(n);
  }

  private static void requireAtLeastOne(String name, OptionalInt value) {
    Objects.requireNonNull(value, name);
    if (value.isPresent() && value.getAsInt() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value.getAsInt());
    }
  }
}
