package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import dev.neonbackup.shutdown.ShutdownPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Hands a connection to a libpq program without putting any of it on the command line: every
 * parameter goes into a libpq service file in a private temporary directory (0700, files 0600),
 * the program gets {@code --dbname=service=neon-backup} and {@code PGSERVICEFILE}, and the
 * directory is deleted when the program is done. The password goes into a password file beside
 * it ({@code PGPASSFILE}): libpq trims the values of a service file, but takes a password file's
 * password as written, so a password that starts or ends with a space works as it does in libpq.
 */
public final class ServiceFile implements AutoCloseable {
  public static final String SERVICE = "neon-backup";
  /** The start of the name of every directory holding a connection file. */
  public static final String PREFIX = "neon-backup-";

  private final Path directory;
  private final Path file;
  private final Path passwordFile;
  private final ShutdownPath.Registration registration;

  private ServiceFile(Path directory, Path file, Path passwordFile) {
    this.directory = directory;
    this.file = file;
    this.passwordFile = passwordFile;
    this.registration =
        ShutdownPath.process().register(ShutdownPath.Kind.FILE, "a connection file", this::delete);
  }

  /**
   * Writes the connection for a client whose libpq is of {@code libpqMajor}: Neon's TLS rule is
   * applied here, for that client (see {@link NeonRules#tls}).
   */
  public static ServiceFile write(ConnectionString given, int libpqMajor) {
    ConnectionString connection = NeonRules.tls(given, given.verifyTls(), libpqMajor);
    String inputName = connection.inputName();
    StringBuilder text = new StringBuilder("[" + SERVICE + "]\n");
    for (Map.Entry<String, String> entry : connection.parameters().entrySet()) {
      text.append(line(entry.getKey(), entry.getValue(), inputName));
    }
    connection.secretParameters().forEach((keyword, secret) -> {
      if (!keyword.equals("password")) {
        text.append(line(keyword, secret.reveal(), inputName));
      }
    });
    Optional<String> password = connection.password().map(p -> passwordLine(p, inputName));
    try (ShutdownPath.Creation creation = ShutdownPath.process().creating("writing a connection file")) {
      Path directory =
          Files.createTempDirectory(
              PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // On the shutdown path before any secret is written, so a signal never leaves one behind.
      ServiceFile serviceFile =
          new ServiceFile(
              directory,
              directory.resolve("pg_service.conf"),
              password.isEmpty() ? null : directory.resolve("pgpass"));
      try {
        privateFile(serviceFile.file, text.toString());
        if (serviceFile.passwordFile != null) {
          privateFile(serviceFile.passwordFile, password.get());
        }
      } catch (IOException | RuntimeException e) {
        serviceFile.close();
        throw e;
      }
      return serviceFile;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write a private connection file", e);
    }
  }

  private static Path privateFile(Path path, String text) throws IOException {
    Path file =
        Files.createFile(
            path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A password file line that matches any host, port, database and user; libpq strips only the
   * line break and reads backslash escapes, so ':' and '\' are escaped and spaces are kept.
   */
  private static String passwordLine(Secret password, String inputName) {
    String value = password.reveal();
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new InputException(inputName + ": the password has a line break, which libpq cannot take");
    }
    return "*:*:*:*:" + value.replace("\\", "\\\\").replace(":", "\\:") + "\n";
  }

  private static String line(String keyword, String value, String inputName) {
    if (keyword.equals("service")) {
      throw new InputException(inputName + " must not name a libpq service; give the parameters");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || !keyword.matches("[a-z_]+")) {
      throw new InputException(
          inputName + ": parameter '" + keyword + "' has a value libpq cannot take (a line break)");
    }
    // libpq trims a service file's values; only the password has another way in (PGPASSFILE).
    if (!value.equals(value.strip())) {
      throw new InputException(
          inputName + ": parameter '" + keyword + "' starts or ends with whitespace, which libpq's"
              + " service file would trim");
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
    if (passwordFile != null) {
      environment.put("PGPASSFILE", passwordFile.toString());
    }
  }

  @Override
  public void close() {
    delete();
    registration.close();
  }

  private void delete() {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Already gone.
    }
  }
}
