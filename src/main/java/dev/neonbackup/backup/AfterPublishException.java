package dev.neonbackup.backup;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;

/**
 * A step after the archive was published (its manifest, retention) failed. The archive is stored
 * and verified, so the run still reports it, then fails with {@link FailureKind#AFTER_PUBLISH}.
 */
public final class AfterPublishException extends FailureException {
  private static final long serialVersionUID = 1L;

  private final transient BackupResult stored;

  AfterPublishException(BackupResult stored, FailureException cause) {
    super(
        FailureKind.AFTER_PUBLISH,
        "the backup is stored and verified at "
            + stored.location().url()
            + ", but "
            + cause.getMessage(),
        cause);
    this.stored = stored;
  }

  public BackupResult stored() {
    return stored;
  }
}
