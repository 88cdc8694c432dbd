package dev.neonbackup.failure;

/**
 * What went wrong, as every layer names it. Only the command line turns a kind into an exit status
 * (cli.FailureKind), so the layers below never know about processes or statuses.
 */
public enum FailureKind {
  /** A bug: nothing the user can change. */
  INTERNAL,
  /** A missing, malformed or refused input, named in the message. */
  BAD_INPUT,
  /** The database could not be reached, or no suitable client program is installed. */
  DATABASE,
  /** pg_dump failed; nothing was published. */
  DUMP,
  /** The bucket refused or failed an operation. */
  STORAGE,
  /** An archive failed verification, or does not match its manifest. */
  VERIFY,
  /** The archive is stored and verified, but a step after publishing it failed. */
  AFTER_PUBLISH,
  /** A restore failed. */
  RESTORE,
  /** The backup is stored, but the restore drill failed or found differences. */
  RESTORE_CHECK,
  /** The Neon API refused or failed a call. */
  NEON_API
}
