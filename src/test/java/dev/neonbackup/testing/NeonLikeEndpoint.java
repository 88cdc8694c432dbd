package dev.neonbackup.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Neon endpoint in miniature, on this machine: one real PostgreSQL (the compute) reached as
 * {@code ep-<id>.<region>.aws.neon.tech}, and a real PgBouncer in transaction mode in front of it
 * (the pooler) reached as {@code ep-<id>-pooler.<region>.aws.neon.tech}, both on port 5432, both
 * with TLS (one certificate, made at start by a CA of the endpoint's own that the system trusts
 * while the endpoint runs, see {@link TestCertificateAuthority}) and SCRAM-SHA-256. The compute accepts TCP
 * only with TLS, so Neon's {@code sslmode=require&channel_binding=require} is really negotiated.
 * PgBouncer 1.18 (Debian bookworm) cannot bind channels: a client that requires channel binding is
 * refused by the pooler, where Neon's own proxy would accept it.
 *
 * <p>The names resolve through /etc/hosts lines (marked, removed on close and at JVM exit; lines
 * left by a JVM that died are dropped by the next start) to two loopback addresses picked at random
 * per endpoint, {@code 127.x.y.2} (compute) and {@code 127.x.y.3} (pooler), so that parallel runs
 * and a Debian cluster on 127.0.0.1:5432 never clash.
 *
 * <p>Which way a connection came is on record, see {@link #trafficSince}: PgBouncer reaches
 * PostgreSQL only through PostgreSQL's private Unix socket, and PostgreSQL takes TCP only on the
 * compute's address. So in PostgreSQL's connection log a {@code [local]} peer came through the
 * pooler and a TCP peer came through the direct host; PgBouncer's log lists every client that
 * reached the pooler. (Both servers see TCP clients from 127.0.0.1, whatever 127.x.y.z they dial,
 * so the peer address alone could not tell.)
 *
 * <p>Runs the servers as the {@code postgres} OS user when the tests run as root; needs root (or
 * {@code sudo -n}) for /etc/hosts, and installs the Debian package {@code pgbouncer} if it is
 * missing.
 */
public final class NeonLikeEndpoint implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 60;
  private static final int PORT = 5432;
  private static final String[] ADJECTIVES = {"cool", "shiny", "quiet", "bold", "misty", "icy"};
  private static final String[] NOUNS = {"darkness", "bird", "river", "forest", "meadow", "sun"};
  private static final String[] REGIONS = {"us-east-2", "eu-central-1", "ap-southeast-1"};

  private final String endpointId;
  private final String region;
  private final String directAddress;
  private final String poolerAddress;
  private final Path dir;
  private final Compute compute;
  private final Pooler pooler;
  private final HostsEntries hosts;
  private final boolean trusted;
  private TestCertificateAuthority authority;
  private boolean ownsAuthority;
  private final Thread shutdownHook = new Thread(this::shutDown, "stop-neon-like-endpoint");
  private boolean closed;

  private NeonLikeEndpoint(
      Path binDir, Path dir, String directAddress, String poolerAddress, boolean trusted,
      String password) {
    this.trusted = trusted;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.endpointId =
        "ep-"
            + ADJECTIVES[random.nextInt(ADJECTIVES.length)]
            + "-"
            + NOUNS[random.nextInt(NOUNS.length)]
            + "-"
            + Randoms.lowercase(8);
    this.region = REGIONS[random.nextInt(REGIONS.length)];
    this.dir = dir;
    this.directAddress = directAddress;
    this.poolerAddress = poolerAddress;
    this.compute = new Compute(binDir, dir, directAddress, password);
    this.pooler = new Pooler(dir, poolerAddress);
    this.hosts = new HostsEntries(endpointId);
  }

  /**
   * Starts the compute and the pooler and makes both names resolve, with a certificate from a CA
   * that the system trusts while the endpoint runs. Close it when done.
   */
  public static NeonLikeEndpoint start() {
    return start(true);
  }

  /** Like {@link #start()}, with a certificate from a CA that nothing trusts. */
  public static NeonLikeEndpoint startWithUnknownCa() {
    return start(false);
  }

  /**
   * Like {@link #start()} without the pooler: only the compute and its direct name, about a
   * second faster. The {@link #pooledHost()} does not resolve.
   */
  public static NeonLikeEndpoint startComputeOnly() {
    return start(true, false, null);
  }

  /**
   * A compute without pooler whose data is a copy of {@code parent}'s as it is now (every
   * database, every role with its password: pg_basebackup of the running parent), under a name
   * of its own: what a Neon branch of the parent looks like. Writes to either are not seen by
   * the other. Its certificate comes from the parent's CA, so close it before the parent.
   */
  public static NeonLikeEndpoint startCopyOf(NeonLikeEndpoint parent) {
    return start(true, false, parent);
  }

  private static NeonLikeEndpoint start(boolean trusted) {
    return start(trusted, true, null);
  }

  private static NeonLikeEndpoint start(
      boolean trusted, boolean withPooler, NeonLikeEndpoint parent) {
    long started = System.nanoTime();
    Path pgbouncer = withPooler ? Pooler.installedProgram() : null;
    Path binDir = parent == null ? LocalPostgres.findBinDir() : parent.compute.binDir();
    String[] addresses = freeAddressPair();
    NeonLikeEndpoint endpoint =
        new NeonLikeEndpoint(
            binDir, TempDirs.create("neon-like-"), addresses[0], addresses[1], trusted,
            parent == null ? Randoms.password() : parent.password());
    Runtime.getRuntime().addShutdownHook(endpoint.shutdownHook);
    try {
      endpoint.writeCertificate(parent);
      if (parent == null) {
        endpoint.compute.initialize();
      } else {
        endpoint.compute.copyFrom(parent.compute);
      }
      endpoint.compute.doStartAgain();
      Map<String, String> names = new LinkedHashMap<>();
      names.put(endpoint.directHost(), endpoint.directAddress);
      if (withPooler) {
        endpoint.pooler.start(pgbouncer, endpoint.compute);
        names.put(endpoint.pooledHost(), endpoint.poolerAddress);
      }
      endpoint.hosts.add(names);
    } catch (RuntimeException e) {
      endpoint.close();
      throw new IllegalStateException("cannot start a Neon-like endpoint: " + e.getMessage(), e);
    }
    FixtureLog.log(
        "started a Neon-like endpoint in " + FixtureLog.seconds(started) + ": "
            + endpoint.directHost() + " -> PostgreSQL " + endpoint.compute.majorVersion() + " on "
            + endpoint.directAddress + ":" + PORT
            + (withPooler
                ? ", " + endpoint.pooledHost() + " -> " + endpoint.pooler.version + " on "
                    + endpoint.poolerAddress + ":" + PORT
                : "")
            + (parent == null ? "" : ", a copy of " + parent.directHost())
            + " (files in " + endpoint.dir + ")");
    return endpoint;
  }

  public String endpointId() {
    return endpointId;
  }

  /** {@code ep-<id>.<region>.aws.neon.tech}: the compute. */
  public String directHost() {
    return endpointId + "." + region + ".aws.neon.tech";
  }

  /** {@code ep-<id>-pooler.<region>.aws.neon.tech}: PgBouncer in front of the compute. */
  public String pooledHost() {
    return endpointId + "-pooler." + region + ".aws.neon.tech";
  }

  public String superuser() {
    return compute.superuser();
  }

  public String password() {
    return compute.password();
  }

  /**
   * The connection string as Neon's console hands it out: {@code
   * postgresql://<user>:<password>@<host>/<database>?sslmode=require&channel_binding=require}, no
   * port (5432), user and password percent-encoded.
   */
  public String url(String database, boolean pooled) {
    return uri(database, pooled, true);
  }

  /**
   * The PostgreSQL behind both names, as a {@link PostgresServer} on the compute's address: for
   * databases, data and {@link PgTools}. Owned by this endpoint: don't close it.
   */
  public PostgresServer compute() {
    return compute;
  }

  /**
   * Restores {@code archive} into {@code database} with pg_restore, connecting the way a user
   * would: the direct connection string (TLS, channel binding), the password in PGPASSWORD.
   */
  public void restore(Path archive, String database) {
    run(
        List.of(
            PgTools.clientBinDir().resolve("pg_restore").toString(),
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--dbname=" + uri(database, false, false),
            archive.toString()),
        Map.of("PGPASSWORD", password()),
        TimeUnit.MINUTES.toSeconds(5));
  }

  /**
   * Runs {@code sql} with psql over {@code connectionString}, given as is, with {@code environment}
   * added (e.g. {@code PGSSLMODE}): what libpq itself makes of a connection string.
   */
  public PsqlResult psql(String connectionString, Map<String, String> environment, String sql) {
    List<String> command =
        List.of(
            PgTools.clientBinDir().resolve("psql").toString(),
            "--no-psqlrc", "--no-align", "--tuples-only", "--no-password",
            "--command=" + sql, "--dbname=" + connectionString);
    try {
      return new PsqlResult(0, run(command, environment, TIMEOUT_SECONDS).strip());
    } catch (ProgramFailed e) {
      return new PsqlResult(e.exitCode, e.output.strip());
    }
  }

  /** Where the connection logs stand now; {@link #trafficSince} reads what came after. */
  public Mark mark() {
    return new Mark(size(compute.logFile()), size(pooler.logFile()));
  }

  /** Every connection the compute authorized and every client that reached the pooler since. */
  public Traffic trafficSince(Mark mark) {
    return new Traffic(
        ComputeConnection.parse(readFrom(compute.logFile(), mark.computeLogOffset())),
        PoolerLogin.parse(readFrom(pooler.logFile(), mark.poolerLogOffset())));
  }

  /**
   * PgBouncer's own counters for {@code database} ({@code SHOW STATS} on its admin console, column
   * name to value, e.g. {@code total_query_count}, {@code total_sent}); empty when no client ever
   * used that database through the pooler.
   */
  public Map<String, String> poolerStats(String database) {
    String output =
        run(
            List.of(
                PgTools.clientBinDir().resolve("psql").toString(),
                "--no-psqlrc",
                "--no-align",
                "--field-separator=|",
                "--pset=footer=off",
                "--command=SHOW STATS",
                "host=" + poolerAddress + " port=" + PORT + " dbname=pgbouncer sslmode=require"
                    + " user=" + superuser()),
            Map.of("PGPASSWORD", password()),
            TIMEOUT_SECONDS);
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    String[] columns = lines.get(0).split("\\|", -1);
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split("\\|", -1);
      if (values[0].equals(database)) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.length && i < values.length; i++) {
          row.put(columns[i], values[i]);
        }
        return row;
      }
    }
    return Map.of();
  }

  /** Removes the /etc/hosts lines, stops PgBouncer and PostgreSQL, deletes the files. */
  @Override
  public void close() {
    shutDown();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs (or ran) anyway; shutDown is idempotent
    }
  }

  private synchronized void shutDown() {
    if (closed) {
      return;
    }
    closed = true;
    for (Runnable step :
        List.<Runnable>of(hosts::remove, pooler::stop, compute::stopNow, this::untrustCa)) {
      try {
        step.run();
      } catch (RuntimeException e) {
        FixtureLog.log("while stopping the Neon-like endpoint " + endpointId + ": " + e.getMessage());
      }
    }
    TempDirs.delete(dir);
  }

  private String uri(String database, boolean pooled, boolean withPassword) {
    return "postgresql://"
        + PostgresServer.percentEncode(superuser())
        + (withPassword ? ":" + PostgresServer.percentEncode(password()) : "")
        + "@"
        + (pooled ? pooledHost() : directHost())
        + "/"
        + PostgresServer.percentEncode(database)
        + "?sslmode=require&channel_binding=require";
  }

  /**
   * One certificate for both names from a CA of the endpoint's own (a copy's: its parent's),
   * trusted system-wide when the endpoint is; its key private to the servers' user.
   */
  private void writeCertificate(NeonLikeEndpoint parent) {
    if (parent == null) {
      authority = TestCertificateAuthority.create(dir, endpointId);
      ownsAuthority = true;
    } else {
      // the parent's CA, trusted while the parent runs: it outlives its copies, and sparing
      // update-ca-certificates twice saves seconds per copy
      authority = parent.authority;
    }
    authority.signServer(certFile(), keyFile(), List.of(directHost(), pooledHost()));
    if (trusted && ownsAuthority) {
      authority.trustSystemWide();
    }
    try {
      Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    giveToServerUser(dir);
  }

  private void untrustCa() {
    if (authority != null && ownsAuthority) {
      authority.untrust();
    }
  }

  private Path certFile() {
    return dir.resolve("server.crt");
  }

  private Path keyFile() {
    return dir.resolve("server.key");
  }

  /** Two addresses 127.x.y.2 and 127.x.y.3 on which port 5432 is free. */
  private static String[] freeAddressPair() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 20; attempt++) {
      String prefix = "127." + random.nextInt(16, 250) + "." + random.nextInt(0, 256) + ".";
      String direct = prefix + "2";
      String pooled = prefix + "3";
      if (portFree(direct) && portFree(pooled)) {
        return new String[] {direct, pooled};
      }
    }
    throw new IllegalStateException("found no pair of loopback addresses with port 5432 free");
  }

  private static boolean portFree(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), PORT));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** Waits until something accepts TCP on {@code address}:5432. */
  private static void awaitListening(String address, String what, Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getByName(address), PORT), 1000);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException(
        what + " does not listen on " + address + ":" + PORT + ":\n" + TempDirs.tail(log, 4000));
  }

  private static void giveToServerUser(Path path) {
    if (Commands.runningAsRoot()) {
      TempDirs.chown(path, Commands.SERVER_USER);
    }
  }

  private static void writeFile(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A configuration file from src/test/resources/neon-like/ with its ${name}s filled in. */
  private static String template(String name, Map<String, String> values) {
    String text;
    try (InputStream in = NeonLikeEndpoint.class.getResourceAsStream("/neon-like/" + name)) {
      if (in == null) {
        throw new IllegalStateException("neon-like/" + name + " is not on the test classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace("${" + value.getKey() + "}", value.getValue());
    }
    Matcher unfilled = Pattern.compile("\\$\\{[a-z_]+}").matcher(text);
    if (unfilled.find()) {
      throw new IllegalStateException("neon-like/" + name + ": no value for " + unfilled.group());
    }
    return text;
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readFrom(Path file, long offset) {
    try {
      byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
      int from = (int) Math.min(offset, bytes.length);
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a program as this JVM's user with {@code extraEnvironment}, and returns its output
   * (stdout and stderr). Throws with that output when it fails.
   */
  static String run(
      List<String> command, Map<String, String> extraEnvironment, long timeoutSeconds) {
    return run(command, extraEnvironment, null, timeoutSeconds);
  }

  private static String run(
      List<String> command, Map<String, String> extraEnvironment, String stdin, long timeoutSeconds) {
    String name = Path.of(command.get(0)).getFileName().toString();
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(extraEnvironment);
      Process process = builder.start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        throw new ProgramFailed(name, process.exitValue(), output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + name, e);
    }
  }

  /** A program that exited with a status other than 0. */
  private static final class ProgramFailed extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final String output;

    ProgramFailed(String name, int exitCode, String output) {
      super(name + " failed with exit status " + exitCode + ":\n" + output);
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  /** {@code command}, through {@code sudo -n} unless we are root. */
  private static List<String> privileged(String... command) {
    List<String> full = new ArrayList<>();
    if (!Commands.runningAsRoot()) {
      full.addAll(List.of("sudo", "-n"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "Neon-like endpoint " + endpointId + " (" + directAddress + ", " + poolerAddress + ")";
  }

  /** psql's exit status and its output (stdout and stderr). */
  public record PsqlResult(int exitCode, String output) {}

  /** Offsets into the two connection logs. */
  public record Mark(long computeLogOffset, long poolerLogOffset) {}

  /** What reached the endpoint between a {@link Mark} and now. */
  public record Traffic(List<ComputeConnection> compute, List<PoolerLogin> pooler) {
    /** The connections the compute authorized into {@code database}. */
    public List<ComputeConnection> computeConnections(String database) {
      return compute.stream().filter(c -> c.database().equals(database)).toList();
    }

    /** The clients that tried to log into {@code database} through the pooler. */
    public List<PoolerLogin> poolerLogins(String database) {
      return pooler.stream().filter(l -> l.database().equals(database)).toList();
    }

    @Override
    public String toString() {
      return "compute: " + compute + "\npooler: " + pooler;
    }
  }

  /**
   * A connection the compute authorized: {@code peer} is {@code [local]} for the Unix socket (only
   * PgBouncer uses it) or {@code address(port)} for TCP (the direct host); {@code tls} is the
   * protocol, or null without TLS.
   */
  public record ComputeConnection(
      String peer, String user, String database, String applicationName, String tls) {
    private static final Pattern LINE =
        Pattern.compile(
            "from=(\\S+) LOG:  connection authorized: user=(\\S+) database=(\\S+)"
                + "(?: application_name=(.*?))?(?: SSL enabled \\(protocol=([^,]+),[^)]*\\))?$");

    public boolean throughPooler() {
      return peer.equals("[local]");
    }

    public boolean direct() {
      return !throughPooler();
    }

    static List<ComputeConnection> parse(String log) {
      List<ComputeConnection> connections = new ArrayList<>();
      for (String line : log.split("\n")) {
        Matcher m = LINE.matcher(line);
        if (m.find()) {
          connections.add(
              new ComputeConnection(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
        }
      }
      return connections;
    }
  }

  /** A client's login attempt at the pooler; {@code tls} is e.g. {@code TLSv1.3/...}, or "no". */
  public record PoolerLogin(String peer, String user, String database, String tls) {
    private static final Pattern LINE =
        Pattern.compile(
            "C-0x[0-9a-f]+: \\S+@(\\S+) login attempt: db=(\\S+) user=(\\S+) tls=(\\S+)");

    static List<PoolerLogin> parse(String log) {
      List<PoolerLogin> logins = new ArrayList<>();
      for (String line : log.split("\n")) {
        Matcher m = LINE.matcher(line);
        if (m.find()) {
          logins.add(new PoolerLogin(m.group(1), m.group(3), m.group(2), m.group(4)));
        }
      }
      return logins;
    }
  }

  /** The PostgreSQL server: TLS, SCRAM, TCP only on the direct address, a private socket. */
  static final class Compute extends PostgresServer {
    private final Path binDir;
    private final Path dir;
    private final Path dataDir;
    private final String address;
    private boolean running;

    Compute(Path binDir, Path dir, String address, String password) {
      super(password);
      this.binDir = binDir;
      this.dir = dir;
      this.dataDir = dir.resolve("data");
      this.address = address;
    }

    @Override
    public String host() {
      return address;
    }

    @Override
    public int port() {
      return PORT;
    }

    @Override
    public boolean runsInContainer() {
      return false;
    }

    @Override
    public Path binDir() {
      return binDir;
    }

    Path logFile() {
      return dir.resolve("postgresql.log");
    }

    Path socketDir() {
      return dir.resolve("sock");
    }

    /** The SCRAM secret PostgreSQL stores for the superuser, for PgBouncer's auth_file. */
    String scramSecret() {
      try (Connection connection = connect("postgres");
          Statement statement = connection.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT rolpassword FROM pg_authid WHERE rolname = current_user")) {
        row.next();
        return row.getString(1);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the superuser's SCRAM secret", e);
      }
    }

    void initialize() {
      runWithSecretFile(
          "pwfile",
          password() + "\n",
          passwordFile ->
              List.of(
                  binDir.resolve("initdb").toString(),
                  "--pgdata=" + dataDir,
                  "--auth=scram-sha-256",
                  "--username=" + superuser(),
                  "--pwfile=" + passwordFile,
                  "--encoding=UTF8",
                  "--no-locale",
                  "--no-sync"));
      configure();
    }

    /**
     * This server's data as a copy of the running {@code parent}'s (pg_basebackup over the
     * parent's private socket, WAL streamed, so the copy is consistent as of its end), then this
     * server's own settings after the parent's (the later line wins).
     */
    void copyFrom(Compute parent) {
      String escaped = password().replace("\\", "\\\\").replace(":", "\\:");
      runWithSecretFile(
          "pgpass",
          "*:*:*:*:" + escaped + "\n",
          passFile ->
              List.of(
                  binDir.resolve("pg_basebackup").toString(),
                  "--pgdata=" + dataDir,
                  "--dbname=host=" + parent.socketDir() + " port=" + PORT
                      + " user=" + superuser() + " passfile=" + passFile,
                  "--checkpoint=fast",
                  "--wal-method=stream",
                  "--no-sync"));
      configure();
    }

    /**
     * Runs {@code command} (given the path of a file holding {@code secret}, readable by the
     * server's user only) as the server's user, then deletes the file.
     */
    private void runWithSecretFile(
        String name, String secret, Function<Path, List<String>> command) {
      Path file = dir.resolve(name);
      try {
        Files.createDirectories(socketDir());
        Files.writeString(file, secret);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      giveToServerUser(dir);
      try {
        Commands.run(dir, TIMEOUT_SECONDS, command.apply(file));
      } finally {
        TempDirs.delete(file);
      }
    }

    private void configure() {
      Map<String, String> values =
          Map.of(
              "direct_address", address,
              "socket_dir", socketDir().toString(),
              "cert_file", dir.resolve("server.crt").toString(),
              "key_file", dir.resolve("server.key").toString());
      Path conf = dataDir.resolve("postgresql.conf");
      try {
        writeFile(conf, Files.readString(conf) + "\n" + template("postgresql.conf", values));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      writeFile(dataDir.resolve("pg_hba.conf"), template("pg_hba.conf", values));
      giveToServerUser(dataDir);
    }

    @Override
    protected synchronized void doStartAgain() {
      if (!running) {
        pgCtl("--log=" + logFile(), "--wait", "--timeout=" + TIMEOUT_SECONDS, "start");
        running = true;
      }
    }

    @Override
    protected void doStopFast() {
      stopWith("fast");
    }

    @Override
    protected void doStop() {
      stopWith("fast");
    }

    /** The endpoint deletes the files; this only stops the server. */
    @Override
    protected void shutDown() {
      stopNow();
    }

    void stopNow() {
      stopWith("immediate");
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
        Commands.run(dir, TIMEOUT_SECONDS + 10, command);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            e.getMessage() + "\nserver log:\n" + TempDirs.tail(logFile(), 4000), e);
      }
    }
  }

  /** PgBouncer as a daemon of its own, stopped by the pid it writes. */
  static final class Pooler {
    private static final Path DEBIAN_PROGRAM = Path.of("/usr/sbin/pgbouncer");

    private final Path dir;
    private final String address;
    private String version = "PgBouncer";
    private long pid;

    Pooler(Path dir, String address) {
      this.dir = dir;
      this.address = address;
    }

    Path logFile() {
      return dir.resolve("pgbouncer.log");
    }

    /** The pgbouncer program; installs Debian's package first when it is missing. */
    static synchronized Path installedProgram() {
      if (Files.isExecutable(DEBIAN_PROGRAM)) {
        return DEBIAN_PROGRAM;
      }
      long started = System.nanoTime();
      Map<String, String> noninteractive = Map.of("DEBIAN_FRONTEND", "noninteractive");
      List<String> install =
          privileged("apt-get", "install", "-y", "-qq", "--no-install-recommends", "pgbouncer");
      try {
        run(install, noninteractive, TimeUnit.MINUTES.toSeconds(5));
      } catch (IllegalStateException staleLists) {
        run(privileged("apt-get", "update", "-qq"), noninteractive, TimeUnit.MINUTES.toSeconds(5));
        run(install, noninteractive, TimeUnit.MINUTES.toSeconds(5));
      }
      if (!Files.isExecutable(DEBIAN_PROGRAM)) {
        throw new IllegalStateException(
            "apt-get installed pgbouncer, but " + DEBIAN_PROGRAM + " is not there");
      }
      FixtureLog.log("installed pgbouncer with apt-get in " + FixtureLog.seconds(started));
      return DEBIAN_PROGRAM;
    }

    void start(Path program, Compute compute) {
      Path authFile = dir.resolve("userlist.txt");
      Path ini = dir.resolve("pgbouncer.ini");
      Path pidFile = dir.resolve("pgbouncer.pid");
      writeFile(authFile, "\"" + compute.superuser() + "\" \"" + compute.scramSecret() + "\"\n");
      writeFile(
          ini,
          template(
              "pgbouncer.ini",
              Map.of(
                  "pooler_address", address,
                  "socket_dir", compute.socketDir().toString(),
                  "auth_file", authFile.toString(),
                  "superuser", compute.superuser(),
                  "cert_file", dir.resolve("server.crt").toString(),
                  "key_file", dir.resolve("server.key").toString(),
                  "log_file", logFile().toString(),
                  "pid_file", pidFile.toString())));
      try {
        Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      giveToServerUser(dir);
      version = Commands.run(dir, TIMEOUT_SECONDS, List.of(program.toString(), "--version"))
          .lines().findFirst().orElse("PgBouncer");
      Commands.run(dir, TIMEOUT_SECONDS, List.of(program.toString(), "-d", ini.toString()));
      awaitListening(address, "PgBouncer", logFile());
      pid = awaitPid(pidFile);
    }

    /**
     * The pid PgBouncer writes once it is a daemon. It opens its sockets before it writes the
     * file, so a client can connect while the file is missing or still empty.
     */
    private long awaitPid(Path pidFile) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      Exception last = null;
      while (System.nanoTime() < deadline) {
        try {
          return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException notYet) {
          last = notYet;
          sleep(50);
        }
      }
      throw new IllegalStateException(
          "PgBouncer wrote no pid file " + pidFile + " in " + TIMEOUT_SECONDS + " s:\n"
              + TempDirs.tail(logFile(), 4000),
          last);
    }

    /** SIGTERM to the pid PgBouncer wrote, SIGKILL if it outlives 10 s. */
    void stop() {
      if (pid == 0) {
        return;
      }
      ProcessHandle.of(pid)
          .ifPresent(
              process -> {
                process.destroy();
                try {
                  process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception notYet) {
                  process.destroyForcibly();
                }
              });
      pid = 0;
    }
  }

  /**
   * This endpoint's lines in /etc/hosts, each tagged {@code # neon-like-endpoint pid=<jvm> <id>}.
   * Edits are serialized across JVMs by a lock file, and the file is rewritten in place (it may be
   * a bind mount that cannot be replaced).
   */
  static final class HostsEntries {
    private static final Path HOSTS = Path.of("/etc/hosts");
    private static final String MARKER = "# neon-like-endpoint";
    private static final Pattern TAG = Pattern.compile(MARKER + " pid=(\\d+) ");
    private static final Path LOCK =
        Path.of(System.getProperty("java.io.tmpdir"), "neon-like-endpoint-hosts.lock");

    private final String tag;
    private boolean added;

    HostsEntries(String endpointId) {
      this.tag = MARKER + " pid=" + ProcessHandle.current().pid() + " " + endpointId;
    }

    /** Adds {@code name -> address} lines (replacing any of ours), then checks they resolve. */
    void add(Map<String, String> addresses) {
      edit(
          lines -> {
            for (Map.Entry<String, String> entry : addresses.entrySet()) {
              lines.add(entry.getValue() + "\t" + entry.getKey() + "\t" + tag);
            }
          });
      added = true;
      for (Map.Entry<String, String> entry : addresses.entrySet()) {
        String resolved = run(List.of("getent", "ahostsv4", entry.getKey()), Map.of(), 10);
        if (!resolved.startsWith(entry.getValue() + " ")) {
          throw new IllegalStateException(
              entry.getKey() + " resolves to\n" + resolved + "not to " + entry.getValue()
                  + ": does /etc/nsswitch.conf consult files for hosts?");
        }
      }
    }

    void remove() {
      if (added) {
        edit(lines -> {});
        added = false;
      }
    }

    /**
     * Rewrites /etc/hosts without our lines and without those of JVMs that are gone, after {@code
     * change} appended what it wants.
     */
    private void edit(Consumer<List<String>> change) {
      try (FileChannel lock =
          FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        lock.lock(); // released when the channel closes
        List<String> lines =
            Files.readAllLines(HOSTS, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.endsWith(tag) && !leftByADeadJvm(line))
                .collect(Collectors.toCollection(ArrayList::new));
        change.accept(lines);
        String text = String.join("\n", lines) + "\n";
        if (Commands.runningAsRoot()) {
          Files.writeString(HOSTS, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
          run(privileged("tee", HOSTS.toString()), Map.of(), text, 10);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot edit " + HOSTS, e);
      }
    }

    private static boolean leftByADeadJvm(String line) {
      Matcher m = TAG.matcher(line);
      return m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
    }
  }
}
