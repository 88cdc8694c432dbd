package dev.neonbackup.failure;

/**
 * A failure the program expected and can explain in one line. The message must already be safe to
 * print: callers redact secrets before they build it.
 */
public class FailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public FailureException(FailureKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public FailureException(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
