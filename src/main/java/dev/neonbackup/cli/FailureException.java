package dev.neonbackup.cli;

/**
 * A failure the program expected and can explain in one line. The message must already be safe to
 * print: callers redact secrets before they build it.
 */
public class FailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public FailureException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public FailureException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
