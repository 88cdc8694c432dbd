package dev.neonbackup.postgres;

import java.util.ArrayList;
import java.util.List;

/** The pg_dump argument list: custom format to stdout, verbose, never a password prompt. */
public final class PgDumpArguments {
  private PgDumpArguments() {}

  /**
   * Everything but the connection, which {@link ClientProcess} appends as a service name. {@code
   * compression} must be resolved for the chosen pg_dump ({@link Compression#resolveFor}).
   */
  public static List<String> of(Compression compression, List<String> extraOptions) {
    if (compression.isAuto()) {
      throw new IllegalStateException("compression auto was not resolved for the chosen pg_dump");
    }
    List<String> arguments = new ArrayList<>();
    arguments.add("--format=custom");
    arguments.add("--verbose");
    arguments.add("--no-password");
    arguments.add("--compress=" + compression.value());
    arguments.addAll(extraOptions);
    return List.copyOf(arguments);
  }
}
