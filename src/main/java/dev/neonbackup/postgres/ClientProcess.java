package dev.neonbackup.postgres;

import dev.neonbackup.report.Redactor;
import dev.neonbackup.shutdown.ShutdownPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A running PostgreSQL client program (pg_dump, psql, pg_restore) started from an argument list,
 * never through a shell, with its connection in a {@link ServiceFile} and an allow-listed
 * environment ({@link ChildEnvironment}). Its stderr is read on a thread of its own: each line,
 * redacted, goes to a listener, and the last few are kept for the error message.
 */
public final class ClientProcess implements AutoCloseable {
  private static final int TAIL_LINES = 5;
  /** How long a stopped program may take to cancel its query and exit before it is killed. */
  private static final long STOP_GRACE_MILLIS = 1500;

  private final String name;
  private final Process process;
  private final ServiceFile serviceFile;
  private final Thread stderrPump;
  private final Deque<String> tail = new ArrayDeque<>();
  private final ShutdownPath.Registration registration;

  private ClientProcess(
      String name, Process process, ServiceFile serviceFile, UnaryOperator<String> lines,
      Consumer<String> stderrListener) {
    this.name = name;
    this.process = process;
    this.serviceFile = serviceFile;
    this.stderrPump =
        new Thread(() -> pump(process.getErrorStream(), lines, stderrListener), name + "-stderr");
    stderrPump.setDaemon(true);
    stderrPump.start();
    this.registration =
        ShutdownPath.process()
            .register(ShutdownPath.Kind.PROCESS, name + " (pid " + process.pid() + ")", this::stop);
  }

  /**
   * Starts {@code program} with {@code arguments}; when {@code connection} is given, it is passed
   * through a service file and {@code --dbname=service=...} is appended.
   */
  public static ClientProcess start(
      PgInstallation client,
      String program,
      List<String> arguments,
      ServiceFile connection,
      Redactor redactor,
      Consumer<String> stderrListener) {
    return start(client, program, arguments, connection, redactor::redact, stderrListener);
  }

  /**
   * Like {@link #start(PgInstallation, String, List, ServiceFile, Redactor, Consumer)}, with each
   * stderr line passed through {@code lines} (the redactor, and whatever else must be said in the
   * user's terms) before it is kept or heard.
   */
  public static ClientProcess start(
      PgInstallation client,
      String program,
      List<String> arguments,
      ServiceFile connection,
      UnaryOperator<String> lines,
      Consumer<String> stderrListener) {
    List<String> command = new ArrayList<>();
    command.add(client.tool(program).toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    ChildEnvironment.restrict(builder.environment());
    if (connection != null) {
      command.add(connection.dbnameArgument());
      builder.command(command);
      connection.applyTo(builder.environment());
    }
    ClientProcess started = null;
    try (ShutdownPath.Creation creation = ShutdownPath.process().creating("starting " + program)) {
      started = new ClientProcess(program, builder.start(), connection, lines, stderrListener);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + client.tool(program), e);
    } finally {
      if (started == null && connection != null) {
        connection.close(); // not started, or refused because a signal is cancelling the run
      }
    }
  }

  public String name() {
    return name;
  }

  public InputStream stdout() {
    return process.getInputStream();
  }

  public OutputStream stdin() {
    return process.getOutputStream();
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the program to exit and for its stderr to be read to the end. */
  public int waitFor() throws InterruptedException {
    int status = process.waitFor();
    stderrPump.join(TimeUnit.SECONDS.toMillis(10));
    return status;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the program at once (SIGKILL); a partial archive it wrote is discarded by the caller. */
  public void kill() {
    process.destroyForcibly();
  }

  /** The last lines it wrote to stderr, redacted, joined with " | ". */
  public String stderrTail() {
    synchronized (tail) {
      return String.join(" | ", tail);
    }
  }

  /** How it ended, in words: "exited with status 1", or "was killed by signal 9". */
  public static String describeExit(int status) {
    return status > 128 ? "was killed by signal " + (status - 128) : "exited with status " + status;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    registration.close();
    if (serviceFile != null) {
      serviceFile.close();
    }
  }

  /**
   * Stops the program and everything it started, politely first: on SIGTERM pg_dump and
   * pg_restore send a cancel request for their query (one waiting on a lock included) before they
   * exit, so the server ends their sessions; whatever is still alive after a moment is killed.
   */
  void stop() throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
    for (ProcessHandle handle : tree) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        handle.destroyForcibly();
      }
    }
    if (serviceFile != null) {
      serviceFile.close();
    }
  }

  private void pump(InputStream stderr, UnaryOperator<String> lines, Consumer<String> listener) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String safe = lines.apply(line);
        synchronized (tail) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(safe.strip());
        }
        listener.accept(safe);
      }
    } catch (IOException e) {
      // The process went away; what was read is kept.
    }
  }
}
