package dev.neonbackup.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The pg_dump argument list: custom format to stdout, verbose, never a password prompt. */
public final class PgDumpArguments {
  private PgDumpArguments() {}

  /** Everything but the connection, which {@link ClientProcess} appends as a service name. */
  public static List<String> of(Optional<Compression> compression, List<String> extraOptions) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--format=custom");
    arguments.add("--verbose");
    arguments.add("--no-password");
    compression.ifPresent(c -> arguments.add("--compress=" + c.value()));
    arguments.addAll(extraOptions);
    return List.copyOf(arguments);
  }
}
