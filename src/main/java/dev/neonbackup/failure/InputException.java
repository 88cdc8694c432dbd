package dev.neonbackup.failure;


/** Bad input from the user: exit status 2, and a message that names the input to change. */
public final class InputException extends FailureException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(FailureKind.BAD_INPUT, message);
  }
}
