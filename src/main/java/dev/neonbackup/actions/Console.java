package dev.neonbackup.actions;

import dev.neonbackup.report.Redactor;
import dev.neonbackup.report.Reporter;
import dev.neonbackup.shutdown.ShutdownPath;
import dev.neonbackup.report.Secret;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Everything the program says goes through here, redacted. Human lines go to stderr; the runner's
 * workflow commands ({@code ::add-mask::}, {@code ::group::}, annotations) and results go to
 * stdout. Under Actions an error or a warning is its titled annotation alone, printed once. Only the workflow commands written here are commands: every other line is made inert
 * ({@link InertText}), since any of it may carry text from outside. Thread-safe: pg_dump's stderr
 * and the progress ticker write from their own threads.
 */
public final class Console implements Reporter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean actions;
  private final Clock clock;
  private final java.util.List<Secret> protectedSecrets = new java.util.ArrayList<>();
  private Redactor redactor = Redactor.none();
  private boolean groupOpen;
  /** The open group's title, while a progress line has closed it for the runner. */
  private String suspendedGroup;
  private String groupTitle;
  private String subject = "Run";

  public Console(PrintWriter out, PrintWriter err, boolean actions, Clock clock) {
    this.out = out;
    this.err = err;
    this.actions = actions;
    this.clock = clock;
  }

  public boolean underActions() {
    return actions;
  }

  /**
   * From now on, these secrets (and those protected before) are redacted everywhere; under Actions
   * the runner is told to mask them in its log too. Call it before printing anything else.
   */
  public synchronized void protect(Iterable<Secret> secrets) {
    java.util.List<Secret> all = new java.util.ArrayList<>();
    secrets.forEach(all::add);
    protectedSecrets.addAll(all);
    redactor = Redactor.of(protectedSecrets);
    if (actions) {
      for (Secret secret : all) {
        if (!secret.isEmpty()) {
          out.println("::add-mask::" + escapeData(secret.reveal()));
        }
      }
      out.flush();
    }
  }

  /** One more secret that came up while the run goes on, e.g. a refreshed session token. */
  public void protectAlso(Secret secret) {
    protect(java.util.List.of(secret));
  }

  @Override
  public synchronized Redactor redactor() {
    return redactor;
  }

  @Override
  public synchronized void info(String message) {
    printErr(stamp() + redactor.redact(message));
  }

  /**
   * Progress, outside the open group: the runner folds a group's lines away, so the group is closed
   * for the line and opened again ("continued") only when the next chatter comes, never empty.
   */
  @Override
  public synchronized void progress(String message) {
    if (actions && groupOpen && suspendedGroup == null) {
      out.println("::endgroup::");
      out.flush();
      suspendedGroup = groupTitle;
    }
    info(message);
  }

  /** A line of a child program's chatter (pg_dump --verbose). */
  @Override
  public synchronized void detail(String message) {
    resumeGroup();
    printErr(stamp() + "  " + redactor.redact(message));
  }

  private void resumeGroup() {
    if (suspendedGroup != null) {
      String title = suspendedGroup;
      suspendedGroup = null;
      if (groupOpen) {
        out.println("::group::" + escapeData(redactor.redact(title + " (continued)")));
        out.flush();
      }
    }
  }

  /**
   * The subcommand now running ({@code backup}, {@code restore}, {@code list}, {@code check}): it
   * names the annotations that bring no title of their own, "Backup failed" or "Restore warning";
   * before it is known, "Run failed". Only a fixed name is taken, never text from outside.
   */
  public synchronized void running(String command) {
    if (command.matches("[a-z]+")) {
      subject = Character.toUpperCase(command.charAt(0)) + command.substring(1);
    }
  }

  @Override
  public synchronized void warn(String message) {
    warn(subject + " warning", message);
  }

  @Override
  public synchronized void warn(String title, String message) {
    annotate("warning", title, stamp() + "warning: ", message);
  }

  @Override
  public synchronized void error(String message) {
    error(subject + " failed", message);
  }

  /**
   * The one line that says why the run failed. Once a signal is cancelling the run, the cancel
   * message is that line, and what the interrupted work says of its own failure is not printed.
   */
  @Override
  public synchronized void error(String title, String message) {
    if (ShutdownPath.process().cancelling()) {
      info("after the signal: " + message);
    } else {
      annotate("error", title, "error: ", message);
    }
  }

  /** The run was cancelled: closes an open log group, then says so and what was cleaned up. */
  public synchronized void cancelled(String message) {
    if (groupOpen) {
      endGroup();
    }
    annotate("error", subject + " cancelled", "error: ", message);
  }

  /**
   * Under Actions, the annotation alone ({@code ::error title=Backup failed::message} on stdout):
   * the runner shows it in the log and in the run's list, so the words are printed once. Otherwise
   * the plain line on stderr, without the title.
   */
  private void annotate(String level, String title, String linePrefix, String message) {
    String safe = redactor.redact(message);
    if (actions) {
      out.println("::" + level + " title=" + escapeProperty(redactor.redact(title)) + "::" + escapeData(safe));
      out.flush();
    } else {
      printErr(linePrefix + safe);
    }
  }

  public synchronized void stackTrace(Throwable failure) {
    java.io.StringWriter text = new java.io.StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    printErr(redactor.redact(text.toString()).stripTrailing());
  }

  /** A result for the user or a script: stdout. */
  public synchronized void result(String line) {
    out.println(InertText.lines(redactor.redact(line)));
    out.flush();
  }

  /** For picocli's usage and messages: stdout, redacted and inert line by line. */
  public PrintWriter resultWriter() {
    return new PrintWriter(new InertWriter(this::result), true);
  }

  /** For picocli's messages: stderr, redacted and inert line by line. */
  public PrintWriter messageWriter() {
    return new PrintWriter(new InertWriter(this::message), true);
  }

  /**
   * For {@code System.out} and {@code System.err}, which only libraries (the AWS SDK's log) and the
   * JVM (an uncaught exception in a thread) still print to: stderr, redacted and inert line by
   * line, like picocli's messages.
   */
  public java.io.PrintStream libraryStream() {
    return new java.io.PrintStream(
        new InertStream(this::message), true, java.nio.charset.StandardCharsets.UTF_8);
  }

  private synchronized void message(String line) {
    printErr(redactor.redact(line));
  }

  private void printErr(String text) {
    err.println(InertText.lines(text));
    err.flush();
  }

  @Override
  public synchronized void group(String title) {
    groupOpen = true;
    groupTitle = title;
    suspendedGroup = null;
    if (actions) {
      out.println("::group::" + escapeData(redactor.redact(title)));
      out.flush();
    }
  }

  @Override
  public synchronized void endGroup() {
    if (!groupOpen) {
      return; // already closed, by a signal's message
    }
    groupOpen = false;
    if (suspendedGroup != null) {
      suspendedGroup = null; // closed for a progress line, and nothing came since
      return;
    }
    if (actions) {
      out.println("::endgroup::");
      out.flush();
    }
  }

  private String stamp() {
    return LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(TIME) + " ";
  }

  /** The runner's escaping for a workflow command's message (as {@code @actions/core} escapes it). */
  static String escapeData(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /**
   * The runner's escaping for a workflow command's property value, such as an annotation's title:
   * the message's, and also {@code :} and {@code ,}, which end a property.
   */
  static String escapeProperty(String text) {
    return escapeData(text).replace(":", "%3A").replace(",", "%2C");
  }
}
