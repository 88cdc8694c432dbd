package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PostgreSQL from the installed server binaries: initdb into a temporary directory, pg_ctl start on
 * a free loopback port, password (SCRAM) required. Run as the {@code postgres} OS user when the
 * tests run as root, since initdb and postgres refuse root.
 */
final class LocalPostgres extends PostgresServer {
  private static final long START_TIMEOUT_SECONDS = 60;

  private final Path binDir;
  private final Path dir;
  private final Path dataDir;
  private final int port;
  private boolean running;
  private boolean deleted;

  private LocalPostgres(Path binDir, Path dir, int port) {
    this.binDir = binDir;
    this.dir = dir;
    this.dataDir = dir.resolve("data");
    this.port = port;
  }

  static LocalPostgres launch() {
    return launch(findBinDir());
  }

  /** A server from the programs in {@code binDir} (initdb, pg_ctl, postgres). */
  static LocalPostgres launch(Path binDir) {
    long started = System.nanoTime();
    LocalPostgres server = new LocalPostgres(binDir, TempDirs.create("pg-fixture-"), Ports.free());
    try {
      server.initialize();
      server.doStartAgain();
    } catch (RuntimeException e) {
      server.shutDown();
      throw new IllegalStateException(
          "cannot start a local PostgreSQL from " + binDir + ": " + e.getMessage(), e);
    }
    FixtureLog.log(
        "started local PostgreSQL from " + binDir + " on 127.0.0.1:" + server.port + " in "
            + FixtureLog.seconds(started) + " (files in " + server.dir + ")");
    return server;
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public boolean runsInContainer() {
    return false;
  }

  @Override
  public Path binDir() {
    return binDir;
  }

  /** initdb with the superuser's password, then the settings: TCP on loopback, SCRAM, no fsync. */
  private void initialize() {
    Path passwordFile = dir.resolve("pwfile");
    Path socketDir = dir.resolve("sock");
    try {
      Files.writeString(passwordFile, password() + "\n");
      Files.createDirectory(socketDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    giveToServerUser(dir);
    try {
      initdb(passwordFile, "C.UTF-8");
    } catch (IllegalStateException noSuchLocale) {
      TempDirs.delete(dataDir);
      try {
        initdb(passwordFile, "C");
      } catch (IllegalStateException e) {
        e.addSuppressed(noSuchLocale);
        throw e;
      }
    } finally {
      TempDirs.delete(passwordFile);
    }
    appendToFile(
        "postgresql.conf",
        // ::1 too, for tests that reach the server through IPv6; PostgreSQL starts without it
        // (with a warning) where the machine has no IPv6 loopback.
        "listen_addresses = '127.0.0.1,::1'\n"
            + "port = " + port + "\n"
            + "unix_socket_directories = '" + socketDir + "'\n"
            + "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
    writeFile(
        "pg_hba.conf",
        "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n");
  }

  private void initdb(Path passwordFile, String locale) {
    Commands.run(
        dir,
        START_TIMEOUT_SECONDS,
        List.of(
            binDir.resolve("initdb").toString(),
            "--pgdata=" + dataDir,
            "--auth=scram-sha-256",
            "--username=" + SUPERUSER,
            "--pwfile=" + passwordFile,
            "--encoding=UTF8",
            "--locale=" + locale,
            "--no-sync"));
  }

  @Override
  protected synchronized void doStartAgain() {
    if (running) {
      return;
    }
    String log = "--log=" + dir.resolve("server.log");
    pgCtl(log, "--wait", "--timeout=" + START_TIMEOUT_SECONDS, "start");
    running = true;
  }

  @Override
  protected void doStopFast() {
    stopWith("fast");
  }

  @Override
  protected void doStop() {
    stopWith("fast");
  }

  @Override
  protected synchronized void shutDown() {
    if (deleted) {
      return;
    }
    try {
      stopWith("immediate");
    } catch (RuntimeException e) {
      FixtureLog.log("could not stop the local PostgreSQL on port " + port + ": " + e.getMessage());
    }
    TempDirs.delete(dir);
    deleted = true;
  }

  private synchronized void stopWith(String mode) {
    if (running) {
      pgCtl("--mode=" + mode, "--wait", "stop");
      running = false;
    }
  }

  private void pgCtl(String... arguments) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of(binDir.resolve("pg_ctl").toString(), "--pgdata=" + dataDir, "--silent"));
    command.addAll(List.of(arguments));
    try {
      Commands.run(dir, START_TIMEOUT_SECONDS + 10, command);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          e.getMessage() + "\nserver log:\n" + TempDirs.tail(dir.resolve("server.log"), 4000), e);
    }
  }

  private void appendToFile(String name, String text) {
    try {
      Files.writeString(dataDir.resolve(name), Files.readString(dataDir.resolve(name)) + text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeFile(String name, String text) {
    try {
      Files.writeString(dataDir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    giveToServerUser(dataDir.resolve(name));
  }

  private static void giveToServerUser(Path path) {
    if (Commands.runningAsRoot()) {
      TempDirs.chown(path, Commands.SERVER_USER);
    }
  }

  /** {@code test.postgres.bindir}, else the newest {@code /usr/lib/postgresql/<major>/bin}. */
  static Path findBinDir() {
    String configured = System.getProperty("test.postgres.bindir", "");
    if (!configured.isBlank()) {
      Path dir = Path.of(configured);
      if (!Files.isExecutable(dir.resolve("postgres"))) {
        throw new IllegalStateException("test.postgres.bindir " + dir + " has no postgres program");
      }
      return dir;
    }
    return newestDebianInstallation()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no PostgreSQL server found: Docker is not available for Testcontainers and no"
                        + " /usr/lib/postgresql/<major>/bin/postgres exists. Install a server"
                        + " (apt-get install postgresql-15) or set -Dtest.postgres.bindir=..."));
  }

  private static Optional<Path> newestDebianInstallation() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
          .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
          .map(v -> v.resolve("bin"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
