package dev.neonbackup.backup;


/** The raw retention inputs, as given. */
public record RetentionInputs(
    String keepLast,
    String keepDays,
    String keepDaily,
    String keepWeekly,
    String keepMonthly,
    String dryRun) {

  public static RetentionInputs none() {
    return new RetentionInputs(null, null, null, null, null, null);
  }

  public RetentionPolicy policy() {
    return RetentionPolicy.parse(keepLast, keepDays, keepDaily, keepWeekly, keepMonthly);
  }
}
