package dev.neonbackup.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;

/**
 * A real PostgreSQL server for tests: a Testcontainers container when Docker is available, else a
 * local server started from the installed PostgreSQL binaries (initdb + pg_ctl in a temporary
 * directory). Either way it listens on TCP and requires the superuser's password (SCRAM), and that
 * password always contains characters that a connection URI must percent-encode.
 *
 * <p>System properties: {@code test.postgres.mode} ({@code auto}, {@code local} or {@code
 * container}; default {@code auto}), {@code test.postgres.image} (default {@code postgres:15}),
 * {@code test.postgres.bindir} (the local server's bin directory; default: the highest {@code
 * /usr/lib/postgresql/<major>/bin}), {@code test.postgres.distributions} (where the build puts the
 * server builds of other majors for {@link #startLocal(int)}; default {@code target/test-servers}).
 */
public abstract class PostgresServer implements AutoCloseable {
  static final String SUPERUSER = "neondb_owner";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;
  private static final Map<Integer, PostgresServer> SHARED_BY_MAJOR = new HashMap<>();
  private static Boolean dockerAvailable;

  private final String password;
  private final Thread shutdownHook = new Thread(this::shutDown, "stop-postgres");
  private boolean isShared;

  protected PostgresServer() {
    this(Randoms.password());
  }

  /** A server whose superuser has {@code password}, e.g. a copy of another server's data. */
  protected PostgresServer(String password) {
    this.password = password;
  }

  /**
   * The server shared by every test in this JVM, started on first use and stopped when the JVM
   * exits. Tests must not stop it; {@link #close()} on it does nothing.
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = start();
      shared.isShared = true;
    }
    return shared;
  }

  /**
   * The local server of PostgreSQL {@code major} shared by every test in this JVM, started on first
   * use (see {@link #startLocal(int)}) and stopped when the JVM exits. Tests must not stop it.
   */
  public static synchronized PostgresServer sharedLocal(int major) {
    PostgresServer server = SHARED_BY_MAJOR.get(major);
    if (server == null) {
      server = startLocal(major);
      server.isShared = true;
      SHARED_BY_MAJOR.put(major, server);
    }
    return server;
  }

  /** A new server of its own, for a test that stops or restarts it. Close it when done. */
  public static PostgresServer start() {
    String mode = System.getProperty("test.postgres.mode", "auto").toLowerCase(Locale.ROOT);
    switch (mode) {
      case "local":
        return startLocal();
      case "container":
        return started(ContainerPostgres.launch());
      case "auto":
        return dockerAvailable()
            ? started(ContainerPostgres.launch())
            : startLocal();
      default:
        throw new IllegalArgumentException(
            "test.postgres.mode is '" + mode + "'; expected auto, local or container");
    }
  }

  /**
   * A new local server even where Docker is available: for tests that need {@link #stopFast()}
   * and {@link #startAgain()}.
   */
  public static PostgresServer startLocal() {
    return started(LocalPostgres.launch());
  }

  /**
   * A new local server of PostgreSQL {@code major} (14 to 18), even where Docker is available:
   * Debian's installation of that major when there is one, else the server build from Maven
   * Central that the build copies into {@code test.postgres.distributions}, unpacked once. Close
   * it when done.
   */
  public static PostgresServer startLocal(int major) {
    return started(LocalPostgres.launch(PostgresInstallations.serverBinDir(major)));
  }

  private static synchronized boolean dockerAvailable() {
    if (dockerAvailable == null) {
      dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
    }
    return dockerAvailable;
  }

  private static PostgresServer started(PostgresServer server) {
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    return server;
  }

  public String superuser() {
    return SUPERUSER;
  }

  public String password() {
    return password;
  }

  public abstract String host();

  public abstract int port();

  public abstract boolean runsInContainer();

  /** The local server's bin directory (initdb, pg_ctl, postgres); null for a container. */
  public abstract Path binDir();

  /** The major version the server reports, e.g. 15. */
  public int majorVersion() {
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW server_version_num")) {
      result.next();
      return Integer.parseInt(result.getString(1)) / 10000;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the server version", e);
    }
  }

  /** {@code postgresql://user:password@host:port/database}, user and password percent-encoded. */
  public String url(String database) {
    return urlWithPassword(database, password);
  }

  /** Like {@link #url(String)}, with another password (e.g. a wrong one). */
  public String urlWithPassword(String database, String password) {
    return "postgresql://"
        + percentEncode(SUPERUSER)
        + ":"
        + percentEncode(password)
        + "@"
        + host()
        + ":"
        + port()
        + "/"
        + percentEncode(database);
  }

  /** A JDBC connection as the superuser. The caller closes it. */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("ApplicationName", "test-fixtures");
    String url = "jdbc:postgresql://" + host() + ":" + port() + "/" + percentEncode(database);
    return DriverManager.getConnection(url, properties);
  }

  /** Runs one or more SQL statements (separated by semicolons) in {@code database}. */
  public void execute(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in database " + database + ": " + sql, e);
    }
  }

  public void createDatabase(String name) {
    execute("postgres", "CREATE DATABASE " + quoteIdentifier(name));
  }

  /** Creates a database under a {@link #uniqueDatabaseName} and returns the name. */
  public String createUniqueDatabase(String prefix) {
    String name = uniqueDatabaseName(prefix);
    createDatabase(name);
    return name;
  }

  /** Drops {@code name} if it exists, first ending every session connected to it. */
  public void dropDatabase(String name) {
    try (Connection connection = connect("postgres");
        PreparedStatement terminate =
            connection.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      terminate.setString(1, name);
      terminate.executeQuery().close();
      try (Statement drop = connection.createStatement()) {
        drop.execute("DROP DATABASE IF EXISTS " + quoteIdentifier(name));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop database " + name, e);
    }
  }

  /** A fresh database name: {@code prefix}, a counter and random letters; at most 63 bytes. */
  public String uniqueDatabaseName(String prefix) {
    String suffix = "_" + DATABASES.incrementAndGet() + "_" + Randoms.lowercase(6);
    String head = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return head.substring(0, Math.min(head.length(), 63 - suffix.length())) + suffix;
  }

  /**
   * Stops the server quickly (sessions are ended), keeping its data so that {@link #startAgain()}
   * can bring it back on the same port. Local servers only.
   */
  public final void stopFast() {
    requirePrivate("stopFast");
    doStopFast();
  }

  /** Starts a server stopped by {@link #stopFast()} again, same port and data; waits till ready. */
  public final void startAgain() {
    requirePrivate("startAgain");
    doStartAgain();
  }

  /** Stops the server for good. */
  public final void stop() {
    requirePrivate("stop");
    doStop();
  }

  /** Stops the server and deletes its files. Does nothing on the {@link #shared()} server. */
  @Override
  public final void close() {
    if (!isShared) {
      shutDown();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs (or ran) anyway; shutDown is idempotent
      }
    }
  }

  protected abstract void doStopFast();

  protected abstract void doStartAgain();

  protected abstract void doStop();

  /** Stops the server and removes everything it left behind; safe to call twice. */
  protected abstract void shutDown();

  private void requirePrivate(String operation) {
    if (isShared) {
      throw new IllegalStateException(
          operation + " is not allowed on the shared server; use PostgresServer.start()");
    }
  }

  static String quoteIdentifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters. */
  public static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return (runsInContainer() ? "PostgreSQL container" : "local PostgreSQL")
        + " at "
        + host()
        + ":"
        + port();
  }
}
