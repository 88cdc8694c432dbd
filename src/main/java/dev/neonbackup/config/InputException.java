package dev.neonbackup.config;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.cli.FailureException;

/** Bad input from the user: exit status 2, and a message that names the input to change. */
public final class InputException extends FailureException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(ExitCode.USAGE, message);
  }
}
