package dev.neonbackup.report;

/**
 * What the use cases say while they work. They never print: the command line hands them a reporter
 * (the runner's log under Actions, a terminal otherwise; a recorder in tests), and everything that
 * reaches it is redacted there.
 */
public interface Reporter {
  /** A line of progress. */
  void info(String message);

  /**
   * A line of progress that must stay in sight: under Actions it is printed outside the open log
   * group (whose lines the runner folds away).
   */
  default void progress(String message) {
    info(message);
  }

  /** A line of a child program's chatter (pg_dump --verbose). */
  void detail(String message);

  /** Something the user should look at; the run goes on. */
  void warn(String message);

  /** Starts a foldable section of the log. */
  void group(String title);

  void endGroup();

  /** A failure that does not end the run by itself (one database of several). */
  void error(String message);

  /** The redactor for text that bypasses this reporter, such as a child program's stderr tail. */
  Redactor redactor();
}
