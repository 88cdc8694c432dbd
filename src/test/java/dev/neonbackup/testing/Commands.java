package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the PostgreSQL server programs, as the {@code postgres} OS user when we are root. */
final class Commands {
  static final String SERVER_USER = "postgres";

  private Commands() {}

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Runs {@code command} in {@code workDir}, its output going to {@code workDir/command.log}, and
   * returns that output. Throws with the output when it fails or outlives {@code timeoutSeconds}.
   */
  static String run(Path workDir, long timeoutSeconds, List<String> command) {
    List<String> full = new ArrayList<>();
    if (runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
    }
    full.addAll(command);
    Path log = workDir.resolve("command.log");
    String name = Path.of(command.get(0)).getFileName().toString();
    try {
      Process process =
          new ProcessBuilder(full)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            name + " did not finish within " + timeoutSeconds + " s:\n" + TempDirs.tail(log, 4000));
      }
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            name + " failed with exit status " + process.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + full, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + name, e);
    }
  }
}
