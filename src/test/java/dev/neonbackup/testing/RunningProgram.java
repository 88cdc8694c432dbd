package dev.neonbackup.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged program while it runs: its output so far, the processes it started, and real
 * signals sent to it with kill(1), as the Actions runner sends them to a cancelled step.
 */
public final class RunningProgram {
  private final Process process;
  private final Path workDir;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread outReader;
  private final Thread errReader;
  private final Set<ProcessHandle> children = ConcurrentHashMap.newKeySet();

  RunningProgram(Process process, Path workDir) {
    this.process = process;
    this.workDir = workDir;
    closeQuietly(process);
    this.outReader = reader(process.getInputStream(), stdout, "stdout");
    this.errReader = reader(process.getErrorStream(), stderr, "stderr");
  }

  public long pid() {
    return process.pid();
  }

  public String stderrSoFar() {
    return stderr.toString();
  }

  /** Waits until {@code condition} holds, noting the program's children meanwhile; fails if not. */
  public void awaitThat(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      noteChildren();
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(
            "gave up waiting for " + what + " (alive: " + process.isAlive() + ")\n" + stderr);
      }
      sleep(50);
    }
    noteChildren();
  }

  /** Waits until stderr holds {@code text}. */
  public void awaitLog(String text, Duration limit) {
    awaitThat("'" + text + "' on stderr", limit, () -> stderr.indexOf(text) >= 0);
  }

  /** Every process the program started that was seen while waiting. */
  public List<ProcessHandle> childrenSeen() {
    return new ArrayList<>(children);
  }

  /** Sends a signal by name (INT, TERM, KILL) with kill(1). */
  public void signal(String name) {
    noteChildren();
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).start();
      if (kill.waitFor() != 0) {
        throw new AssertionError("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits for the program to end; kills it and fails if it does not within {@code limit}. */
  public ProgramRun.Result await(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("the program did not end within " + limit + "\n" + stderr);
      }
      outReader.join(5000);
      errReader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new ProgramRun.Result(process.exitValue(), stdout.toString(), stderr.toString(), workDir);
  }

  private void noteChildren() {
    process.descendants().forEach(children::add);
  }

  private static Thread reader(InputStream stream, StringBuffer into, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  into.append(line).append('\n');
                }
              } catch (IOException e) {
                // the program ended
              }
            },
            "program-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // nothing to send anyway
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
