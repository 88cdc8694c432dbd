package dev.neonbackup.notify;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import java.util.Locale;

/** When the chat message is sent: {@code notify-on}. */
public enum NotifyOn {
  FAILURE,
  ALWAYS;

  /** The value of {@code notify-on}; blank means {@link #FAILURE}. */
  static NotifyOn parse(String value) {
    String given = Inputs.optional(value).orElse("failure");
    switch (given.toLowerCase(Locale.ROOT)) {
      case "failure":
        return FAILURE;
      case "always":
        return ALWAYS;
      default:
        throw new InputException("notify-on must be failure or always (got '" + given + "')");
    }
  }
}
