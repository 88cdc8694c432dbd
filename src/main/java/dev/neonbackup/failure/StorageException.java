package dev.neonbackup.failure;


/**
 * S3 refused or failed an operation; the message says which and why, in plain words. A retryable
 * one (a 5xx answer, a dropped connection) may succeed when tried again; the others will not.
 */
public final class StorageException extends FailureException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public StorageException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public StorageException(String message, Throwable cause, boolean retryable) {
    super(FailureKind.STORAGE, message, cause);
    this.retryable = retryable;
  }

  /** Whether the same request may succeed when tried again. */
  public boolean retryable() {
    return retryable;
  }
}
