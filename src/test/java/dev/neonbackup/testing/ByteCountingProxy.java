package dev.neonbackup.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server that counts, per connection, the bytes
 * the server sent to the client: the server's side of what a client received. It keeps the first
 * bytes each client sent, so a test can tell a plain-text connection's program apart by the
 * application_name in its startup message.
 */
public final class ByteCountingProxy implements AutoCloseable {
  private static final int KEPT_REQUEST_BYTES = 4096;

  /** One client connection: what the server sent it, and the start of what it sent the server. */
  public static final class Connection {
    private final AtomicLong fromServer = new AtomicLong();
    private final ByteArrayOutputStream firstBytes = new ByteArrayOutputStream();

    public long bytesFromServer() {
      return fromServer.get();
    }

    /** Whether the startup message names this program (libpq's fallback_application_name). */
    public synchronized boolean startedBy(String program) {
      String start = firstBytes.toString(StandardCharsets.ISO_8859_1);
      return start.contains("application_name\0" + program + "\0");
    }

    private synchronized void keep(byte[] buffer, int length) {
      int room = KEPT_REQUEST_BYTES - firstBytes.size();
      if (room > 0) {
        firstBytes.write(buffer, 0, Math.min(room, length));
      }
    }
  }

  private final ServerSocket listener;
  private final String serverHost;
  private final int serverPort;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  private ByteCountingProxy(ServerSocket listener, String serverHost, int serverPort) {
    this.listener = listener;
    this.serverHost = serverHost;
    this.serverPort = serverPort;
  }

  public static ByteCountingProxy to(String serverHost, int serverPort) throws IOException {
    ByteCountingProxy proxy =
        new ByteCountingProxy(
            new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), serverHost, serverPort);
    Thread acceptor = new Thread(proxy::accept, "counting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Every connection so far, in the order they came. */
  public synchronized List<Connection> connections() {
    return List.copyOf(connections);
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(serverHost, serverPort);
        Connection connection = new Connection();
        synchronized (this) {
          connections.add(connection);
          sockets.add(client);
          sockets.add(server);
        }
        pump(client, server, (buffer, length) -> connection.keep(buffer, length));
        pump(server, client, (buffer, length) -> connection.fromServer.addAndGet(length));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private interface Counter {
    void count(byte[] buffer, int length);
  }

  private static void pump(Socket from, Socket to, Counter counter) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  counter.count(buffer, read);
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "counting-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public synchronized void close() throws IOException {
    listener.close();
    sockets.forEach(ByteCountingProxy::closeQuietly);
  }
}
