package dev.neonbackup.shutdown;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;

/** Work refused because a signal is cancelling the run; the exit status is the signal's. */
public final class CancelledException extends FailureException {
  private static final long serialVersionUID = 1L;

  public CancelledException(String message) {
    super(FailureKind.INTERNAL, message);
  }
}
