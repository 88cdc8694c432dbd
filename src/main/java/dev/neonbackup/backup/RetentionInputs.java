package dev.neonbackup.backup;

import java.util.OptionalInt;

/** Retention after a successful backup: the rules, and whether to only list what they delete. */
public record RetentionInputs(RetentionPolicy policy, boolean dryRun) {

  /** No rule: nothing is ever deleted. */
  public static RetentionInputs none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The inputs, typed as the command line converted them (null: not given). */
  public static final class Builder {
    private Integer keepLast;
    private Integer keepDays;
    private Integer keepDaily;
    private Integer keepWeekly;
    private Integer keepMonthly;
    private Boolean dryRun;

    private Builder() {}

    public Builder keepLast(Integer value) {
      keepLast = value;
      return this;
    }

    public Builder keepDays(Integer value) {
      keepDays = value;
      return this;
    }

    public Builder keepDaily(Integer value) {
      keepDaily = value;
      return this;
    }

    public Builder keepWeekly(Integer value) {
      keepWeekly = value;
      return this;
    }

    public Builder keepMonthly(Integer value) {
      keepMonthly = value;
      return this;
    }

    public Builder dryRun(Boolean value) {
      dryRun = value;
      return this;
    }

    public RetentionInputs build() {
      return new RetentionInputs(
          new RetentionPolicy(
              rule(keepLast), rule(keepDays), rule(keepDaily), rule(keepWeekly), rule(keepMonthly)),
          Boolean.TRUE.equals(dryRun));
    }

    private static OptionalInt rule(Integer value) {
      return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }
  }
}
