package dev.neonbackup.report;

import java.util.Objects;

/**
 * A value that must never reach a log, an error message or an argument list. {@link #toString()}
 * redacts it, so a careless string concatenation cannot leak it; code that really needs the value
 * calls {@link #reveal()}, which is easy to find in a review.
 */
public final class Secret {
  public static final String REDACTED = "***";

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return REDACTED;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret && ((Secret) other).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
