package dev.neonbackup.neon;

import java.util.Optional;

/**
 * One call to the Neon API: its method and path, what it does in words (for messages), and the
 * thing it is about, so that a 404 names the input that named that thing.
 *
 * @param what what the call does, as in "the Neon API failed <what>"
 * @param subject what a 404 means was not found
 * @param subjectValue the id or name of that thing, as the user gave it
 * @param snapshotTimestamp the {@code parent_timestamp} a branch creation asked for, if any
 */
record Call(
    String method,
    String path,
    String what,
    Subject subject,
    String subjectValue,
    Optional<String> snapshotTimestamp) {

  /** What a call is about. */
  enum Subject {
    PROJECT("neon-project-id", "project"),
    BRANCH("neon-branch", "branch"),
    TEMPORARY_BRANCH("", "temporary branch"),
    ROLE("", "role"),
    DATABASE("", "database"),
    OPERATION("", "operation");

    private final String inputName;
    private final String noun;

    Subject(String inputName, String noun) {
      this.inputName = inputName;
      this.noun = noun;
    }

    /** The input that names it, or empty when the program chose it. */
    String inputName() {
      return inputName;
    }

    String noun() {
      return noun;
    }
  }

  static Call get(String path, String what, Subject subject, String subjectValue) {
    return new Call("GET", path, what, subject, subjectValue, Optional.empty());
  }

  /** GET is safe to repeat; so is DELETE here, since a second delete answers 204. */
  boolean idempotent() {
    return !method.equals("POST");
  }
}
