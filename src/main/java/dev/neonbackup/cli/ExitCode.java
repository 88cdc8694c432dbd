package dev.neonbackup.cli;

/** The program's exit statuses. The README's table lists the same values; keep them in step. */
public enum ExitCode {
  OK(0, "success"),
  INTERNAL(1, "unexpected internal error (a bug: run with --stacktrace and report it)"),
  USAGE(2, "bad input: a missing, malformed or refused input, named in the message"),
  DATABASE(3, "could not connect to the database, or no suitable pg_dump is installed"),
  DUMP(4, "pg_dump failed (error, killed, connection lost mid-dump); the upload was aborted"),
  STORAGE(5, "S3 failed (credentials rejected, bucket missing, upload failed); nothing was published"),
  VERIFY(6, "the archive failed verification by pg_restore; the upload was aborted"),
  AFTER_PUBLISH(7, "the backup was stored and verified (outputs set), but writing its manifest or applying retention failed"),
  RESTORE(8, "the restore failed (pg_restore reported errors, or the backup was not found)"),
  RESTORE_CHECK(9, "the backup was stored, but the restore drill found differences or failed");

  private final int status;
  private final String meaning;

  ExitCode(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  public int status() {
    return status;
  }

  public String meaning() {
    return meaning;
  }
}
