package dev.neonbackup.failure;


/** S3 refused or failed an operation; the message says which and why, in plain words. */
public final class StorageException extends FailureException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(FailureKind.STORAGE, message, cause);
  }
}
