package dev.neonbackup.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Counts the bytes a server sends to one client program (pg_dump): the program connects to this
 * relay on 127.0.0.1, which forwards every byte unchanged both ways to the server and counts those
 * coming back. TLS stays end to end: the connection keeps {@code host}, so libpq still sends it as
 * SNI and verifies the certificate against it; only {@code hostaddr} and {@code port} point here.
 *
 * <p>Why not the child's {@code /proc/<pid>/io}: its {@code rchar} counts read(2) only, and libpq
 * takes the socket's bytes with recv(2), which it does not count (and the JDK reaps an exited
 * child at once, so the file is usually gone by the time its output ends).
 *
 * <p>It does not register with the shutdown path on purpose: on a signal, pg_dump sends its cancel
 * request through it, so it must outlive pg_dump; it holds nothing outside this process.
 */
public final class CountingRelay implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
  private static final long DRAIN_MILLIS = 2_000;

  private final ServerSocket listener;
  private final InetSocketAddress server;
  private final AtomicLong received = new AtomicLong();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();
  private final Pattern relayAddress;
  private final RelayKeepalive keepalive;
  private volatile String unreachable;

  private CountingRelay(ServerSocket listener, InetSocketAddress server, RelayKeepalive keepalive) {
    this.listener = listener;
    this.server = server;
    this.keepalive = keepalive;
    this.relayAddress =
        Pattern.compile(
            "(?: \\(" + Pattern.quote(listener.getInetAddress().getHostAddress()) + "\\))?, port "
                + listener.getLocalPort() + "\\b");
  }

  /**
   * A relay for {@code connection}'s one TCP server; empty when it has none to relay (a Unix
   * socket, several hosts) or the relay cannot listen, and then the figure is unknown.
   */
  public static Optional<CountingRelay> startFor(ConnectionString connection) {
    Optional<InetSocketAddress> server = singleTcpServer(connection, System.getenv());
    if (server.isEmpty()) {
      return Optional.empty();
    }
    try {
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      CountingRelay relay = new CountingRelay(listener, server.get(), RelayKeepalive.of(connection));
      Thread acceptor = new Thread(relay::accept, "relay-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return Optional.of(relay);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The server a connection reaches over TCP, if exactly one: {@code hostaddr} when given (libpq
   * connects there), else {@code host}; never a Unix socket directory. What the connection leaves
   * out comes from PGHOST, PGHOSTADDR and PGPORT, as libpq takes it (they reach pg_dump too).
   */
  static Optional<InetSocketAddress> singleTcpServer(
      ConnectionString connection, java.util.Map<String, String> environment) {
    Optional<String> host = connection.parameter("host").or(() -> variable(environment, "PGHOST"));
    Optional<String> address =
        connection.parameter("hostaddr").or(() -> variable(environment, "PGHOSTADDR")).or(() -> host);
    String port =
        connection.parameter("port").or(() -> variable(environment, "PGPORT")).orElse("5432");
    if (address.isEmpty() || address.get().isBlank() || !port.matches("[0-9]{1,5}")) {
      return Optional.empty();
    }
    String target = address.get();
    if (target.contains(",") || host.filter(h -> h.contains(",")).isPresent()
        || target.startsWith("/") || target.startsWith("@")) {
      return Optional.empty();
    }
    int number = Integer.parseInt(port);
    return number < 1 || number > 65535
        ? Optional.empty()
        : Optional.of(InetSocketAddress.createUnresolved(target, number));
  }

  /** An environment variable libpq reads, when set and not blank. */
  private static Optional<String> variable(java.util.Map<String, String> environment, String name) {
    return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
  }

  /** {@code connection}, routed through this relay; the host name stays for TLS. */
  public ConnectionString route(ConnectionString connection) {
    return connection
        .withParameter("hostaddr", listener.getInetAddress().getHostAddress())
        .withParameter("port", String.valueOf(listener.getLocalPort()));
  }

  /**
   * A line of the client's in the user's terms: libpq names the address it connected to, the
   * relay's ({@code "host" (127.0.0.1), port 41371}); this puts the server's port back and drops
   * the relay's address.
   */
  public String unroute(String line) {
    return relayAddress.matcher(line).replaceAll(", port " + server.getPort());
  }

  /**
   * Why the relay could not reach the server, if it could not: pg_dump sees only its connection
   * closed ("server closed the connection unexpectedly"), so its error needs this to say why.
   */
  public Optional<String> unreachable() {
    return Optional.ofNullable(unreachable);
  }

  /** The bytes the server has sent through the relay so far, over every connection. */
  public long receivedBytes() {
    return received.get();
  }

  /**
   * Waits a moment for the connections to end (the client has exited), so that every byte it
   * read is counted, then closes everything; returns the count.
   */
  public long finish() throws InterruptedException {
    List<Thread> running;
    synchronized (sockets) {
      running = List.copyOf(pumps);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    for (Thread pump : running) {
      pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    close();
    return received.get();
  }

  @Override
  public void close() {
    closeQuietly(listener);
    synchronized (sockets) {
      sockets.forEach(CountingRelay::closeQuietly);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread connector = new Thread(() -> connect(client), "relay-connect");
        connector.setDaemon(true);
        connector.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void connect(Socket client) {
    if (!track(client)) {
      return;
    }
    Socket upstream;
    try {
      upstream = connectToServer();
      keepalive.applyTo(upstream);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
    } catch (IOException e) {
      unreachable =
          server.getHostString() + ", port " + server.getPort() + ": "
              + (e instanceof java.net.UnknownHostException ? "no such host"
                  : e instanceof java.net.SocketTimeoutException ? "no answer within 30 s"
                  : String.valueOf(e.getMessage()));
      closeQuietly(client); // the client sees its connection closed, and says so
      return;
    }
    pump(client, upstream, null);
    pump(upstream, client, received);
  }

  /** Tries each address of the server's name in turn, as libpq does; a relay closed stops it. */
  private Socket connectToServer() throws IOException {
    IOException last = new IOException("no address for " + server.getHostString());
    for (InetAddress address : InetAddress.getAllByName(server.getHostString())) {
      Socket upstream = new Socket();
      if (!track(upstream)) {
        throw new IOException("the relay is closed");
      }
      try {
        upstream.connect(new InetSocketAddress(address, server.getPort()), CONNECT_TIMEOUT_MILLIS);
        return upstream;
      } catch (IOException e) {
        closeQuietly(upstream);
        last = e;
      }
    }
    throw last;
  }

  /** Keeps {@code socket} for {@link #close}; false, with it closed, once the relay is closed. */
  private boolean track(Socket socket) {
    synchronized (sockets) {
      if (listener.isClosed()) {
        closeQuietly(socket);
        return false;
      }
      sockets.add(socket);
      return true;
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[BUFFER];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  if (counter != null) {
                    counter.addAndGet(read);
                  }
                }
              } catch (IOException e) {
                // One side went away; closing both ends the other direction too.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "relay-pump");
    thread.setDaemon(true);
    synchronized (sockets) {
      pumps.add(thread);
    }
    thread.start();
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
