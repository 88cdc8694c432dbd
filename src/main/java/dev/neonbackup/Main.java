package dev.neonbackup;

import dev.neonbackup.cli.Cli;
import dev.neonbackup.shutdown.ShutdownPath;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Wires the command line to this process's environment and streams, runs it, and exits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
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
