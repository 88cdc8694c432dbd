package dev.neonbackup;

import dev.neonbackup.cli.Cli;
import dev.neonbackup.shutdown.ShutdownPath;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/** Wires the command line to this process's environment and streams, runs it, and exits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Optional<String> version = Cli.versionOnly(args);
    if (version.isPresent()) {
      System.out.println(version.get());
      System.exit(0);
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status =
        Cli.createForProcess(System.getenv(), out, err, Clock.systemUTC())
            .execute(Cli.withDefaultCommand(args, System.getenv()));
    out.flush();
    err.flush();
    ShutdownPath.process().exitingNormally();
    System.exit(status);
  }
}
