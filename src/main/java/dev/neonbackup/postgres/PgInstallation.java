package dev.neonbackup.postgres;

import java.nio.file.Path;

/** The client programs of one PostgreSQL major, e.g. {@code /usr/lib/postgresql/17/bin}. */
public record PgInstallation(int major, Path binDir) {
  public Path tool(String name) {
    return binDir.resolve(name);
  }
}
