package dev.neonbackup.cli;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;

/**
 * The program's exit statuses, and the one table from failure kind to status. The README's table
 * lists the same values; keep them in step.
 */
public enum ExitCode {
  OK(0, "success"),
  INTERNAL(1, "unexpected internal error (a bug: run with --stacktrace and report it)"),
  USAGE(2, "bad input: a missing, malformed or refused input, named in the message"),
  DATABASE(3, "could not connect to the database, or no suitable pg_dump is installed"),
  DUMP(4, "pg_dump failed (error, killed, connection lost mid-dump); the upload was aborted"),
  STORAGE(5, "S3 failed (credentials rejected, bucket missing, upload failed); nothing was published"),
  VERIFY(6, "an archive failed verification (by pg_restore while backing up; on restore, against its manifest), or its manifest exists but is unreadable or does not match it"),
  AFTER_PUBLISH(7, "the backup was stored and verified (outputs set), but writing its manifest or applying retention failed"),
  RESTORE(8, "the restore failed (pg_restore reported errors, or the backup was not found)"),
  RESTORE_CHECK(9, "the backup was stored, but the restore drill found differences or failed"),
  CHECK(10, "check found a problem: a database's newest backup is too old, shrank too much, or is missing"),
  NEON_API(11, "the Neon API failed (the key refused, the project or branch not found, a limit reached, or no answer)");

  private final int status;
  private final String meaning;

  ExitCode(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  /** The status for a failure of {@code kind}. */
  public static ExitCode of(FailureKind kind) {
    switch (kind) {
      case BAD_INPUT:
        return USAGE;
      case DATABASE:
        return DATABASE;
      case DUMP:
        return DUMP;
      case STORAGE:
        return STORAGE;
      case VERIFY:
        return VERIFY;
      case AFTER_PUBLISH:
        return AFTER_PUBLISH;
      case RESTORE:
        return RESTORE;
      case RESTORE_CHECK:
        return RESTORE_CHECK;
      case NEON_API:
        return NEON_API;
      case INTERNAL:
      default:
        return INTERNAL;
    }
  }

  public static ExitCode of(FailureException failure) {
    return of(failure.kind());
  }

  public int status() {
    return status;
  }

  public String meaning() {
    return meaning;
  }
}
