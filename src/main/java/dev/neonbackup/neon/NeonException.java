package dev.neonbackup.neon;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;

/**
 * The Neon API refused or failed a call (exit 11). The message names the input to change and quotes
 * Neon's words with the API key redacted; it never holds the key.
 */
public final class NeonException extends FailureException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String neonMessage;
  private final boolean maybeDone;

  NeonException(String message, int status, String neonMessage, boolean maybeDone) {
    super(FailureKind.NEON_API, message);
    this.status = status;
    this.neonMessage = neonMessage;
    this.maybeDone = maybeDone;
  }

  /** The HTTP status of Neon's last answer, or 0 when there was none. */
  public int status() {
    return status;
  }

  /** What Neon said (its error's {@code message}), redacted; empty when it said nothing. */
  public String neonMessage() {
    return neonMessage;
  }

  /** A call that changes something got no clear answer: it may have been carried out. */
  boolean maybeDone() {
    return maybeDone;
  }
}
