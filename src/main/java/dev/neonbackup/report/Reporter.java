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

  /**
   * As {@link #warn(String)}, with the short, fixed title of its annotation under Actions (e.g.
   * "Retention"); {@code warn(message)} gives the running command's ("Backup warning"). Never put
   * text from outside, or a secret, into a title.
   */
  default void warn(String title, String message) {
    warn(message);
  }

  /** Starts a foldable section of the log. */
  void group(String title);

  void endGroup();

  /** A failure that does not end the run by itself (one database of several). */
  void error(String message);

  /** As {@link #error(String)}, with a fixed title for its annotation, as for {@link #warn(String, String)}. */
  default void error(String title, String message) {
    error(message);
  }

  /** The redactor for text that bypasses this reporter, such as a child program's stderr tail. */
  Redactor redactor();
}
