package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Hands a connection to a libpq program without putting any of it on the command line: every
 * parameter, the password included, goes into a libpq service file in a private temporary
 * directory (0700, file 0600), the program gets {@code --dbname=service=neon-backup} and {@code
 * PGSERVICEFILE}, and the file is deleted when the program is done.
 */
public final class ServiceFile implements AutoCloseable {
  public static final String SERVICE = "neon-backup";

  private final Path directory;
  private final Path file;

  private ServiceFile(Path directory, Path file) {
    this.directory = directory;
    this.file = file;
  }

  public static ServiceFile write(ConnectionString connection) {
    String inputName = connection.inputName();
    StringBuilder text = new StringBuilder("[" + SERVICE + "]\n");
    for (Map.Entry<String, String> entry : connection.parameters().entrySet()) {
      text.append(line(entry.getKey(), entry.getValue(), inputName));
    }
    connection
        .secretParameters()
        .forEach((keyword, secret) -> text.append(line(keyword, secret.reveal(), inputName)));
    try {
      Path directory =
          Files.createTempDirectory(
              "neon-backup-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file =
          Files.createFile(
              directory.resolve("pg_service.conf"),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return new ServiceFile(directory, file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write a private connection file", e);
    }
  }

  private static String line(String keyword, String value, String inputName) {
    if (keyword.equals("service")) {
      throw new InputException(inputName + " must not name a libpq service; give the parameters");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || !keyword.matches("[a-z_]+")) {
      throw new InputException(
          inputName + ": parameter '" + keyword + "' has a value libpq cannot take (a line break)");
    }
    // libpq trims the value it reads; a value with edge spaces could not survive the round trip.
    if (!value.equals(value.strip())) {
      throw new InputException(
          inputName + ": parameter '" + keyword + "' starts or ends with whitespace");
    }
    return keyword + "=" + value + "\n";
  }

  /** The {@code --dbname} value that selects this connection. */
  public String dbnameArgument() {
    return "--dbname=service=" + SERVICE;
  }

  /** Environment for the child process: this file, and nothing inherited that could override. */
  public void applyTo(Map<String, String> environment) {
    environment.remove("PGSERVICE");
    environment.remove("PGPASSWORD");
    environment.remove("PGDATABASE");
    environment.put("PGSERVICEFILE", file.toString());
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Already gone.
    }
  }
}
