package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CountingRelayTest {
  private static final int BUFFER = 64 * 1024;

  @ParameterizedTest
  @CsvSource({
    "postgresql://u@ep-x.neon.tech/db, ep-x.neon.tech, 5432",
    "postgresql://u@ep-x.neon.tech:6543/db, ep-x.neon.tech, 6543",
    "host=db.example hostaddr=10.0.0.5 port=5433 dbname=d, 10.0.0.5, 5433",
    "hostaddr=10.0.0.5 dbname=d, 10.0.0.5, 5432",
  })
  void relays_a_connection_to_one_tcp_server(String given, String host, int port) {
    assertEquals(
        Optional.of(InetSocketAddress.createUnresolved(host, port)),
        CountingRelay.singleTcpServer(ConnectionString.parse(given, "database-url"), java.util.Map.of()));
  }

  /**
   * libpq takes what the connection string leaves out from PGHOST, PGHOSTADDR and PGPORT (the
   * program passes them on to pg_dump and psql): the relay reaches the server they name, never
   * 5432 of a host the probe did not use.
   */
  @ParameterizedTest
  @CsvSource({
    "host=127.0.0.1 dbname=d, PGPORT=6000, 127.0.0.1, 6000",
    "host=127.0.0.1 port=7000 dbname=d, PGPORT=6000, 127.0.0.1, 7000",
    "host=db.example dbname=d, PGHOSTADDR=10.0.0.9, 10.0.0.9, 5432",
    "dbname=d, PGHOST=db.example, db.example, 5432",
    "postgresql://u@ep-x.neon.tech/db, PGPORT=6543, ep-x.neon.tech, 6543",
  })
  void takes_what_the_connection_leaves_out_from_libpqs_variables(
      String given, String variable, String host, int port) {
    String[] pair = variable.split("=", 2);
    assertEquals(
        Optional.of(InetSocketAddress.createUnresolved(host, port)),
        CountingRelay.singleTcpServer(ConnectionString.parse(given, "database-url"), java.util.Map.of(pair[0], pair[1])));
  }

  @Test
  void a_unix_socket_or_a_host_list_from_the_variables_is_not_relayed() {
    for (String host : new String[] {"/var/run/postgresql", "a,b"}) {
      assertEquals(
          Optional.empty(),
          CountingRelay.singleTcpServer(ConnectionString.parse("dbname=d", "database-url"), java.util.Map.of("PGHOST", host)));
    }
    assertEquals(
        Optional.empty(),
        CountingRelay.singleTcpServer(
            ConnectionString.parse("host=a dbname=d", "database-url"), java.util.Map.of("PGPORT", "5432,5433")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dbname=d",
        "host=/var/run/postgresql dbname=d",
        "host=@abstract dbname=d",
        "host=a,b dbname=d",
        "postgresql://u@a:5432,b:5432/db",
        "host=a port=5432,5433 dbname=d",
      })
  void relays_nothing_without_exactly_one_tcp_server(String given) {
    assertEquals(
        Optional.empty(),
        CountingRelay.singleTcpServer(ConnectionString.parse(given, "database-url"), java.util.Map.of()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, BUFFER - 1, BUFFER, BUFFER + 1, 3 * BUFFER + 7})
  void counts_exactly_the_bytes_the_server_sent_and_forwards_both_ways_unchanged(int size)
      throws Exception {
    byte[] reply = new byte[size];
    new Random(size).nextBytes(reply);
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread serving = serveOnce(server, reply);
      ConnectionString given =
          ConnectionString.parse(
              "host=db.example hostaddr=127.0.0.1 port=" + server.getLocalPort() + " dbname=d",
              "database-url");
      try (CountingRelay relay = CountingRelay.startFor(given).orElseThrow()) {
        ConnectionString routed = relay.route(given);
        assertEquals(Optional.of("db.example"), routed.parameter("host"), "kept for TLS");
        int port = Integer.parseInt(routed.parameter("port").orElseThrow());
        assertTrue(port != server.getLocalPort());
        byte[] received;
        try (Socket client = new Socket(routed.parameter("hostaddr").orElseThrow(), port)) {
          client.getOutputStream().write("hello\n".getBytes());
          received = readAll(client.getInputStream());
        }
        serving.join(5000);
        assertArrayEquals(reply, received);
        assertEquals(size, relay.finish());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void a_server_it_cannot_reach_closes_the_clients_connection_and_counts_nothing() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }
    ConnectionString given =
        ConnectionString.parse("host=127.0.0.1 port=" + closedPort + " dbname=d", "database-url");
    try (CountingRelay relay = CountingRelay.startFor(given).orElseThrow()) {
      ConnectionString routed = relay.route(given);
      try (Socket client =
          new Socket("127.0.0.1", Integer.parseInt(routed.parameter("port").orElseThrow()))) {
        client.setSoTimeout(10_000);
        assertEquals(-1, client.getInputStream().read(), "closed, not left hanging");
      }
      assertEquals(0, relay.finish());
      String why = relay.unreachable().orElseThrow();
      assertTrue(why.startsWith("127.0.0.1, port " + closedPort + ": "), why);
      assertTrue(why.toLowerCase(java.util.Locale.ROOT).contains("refused"), why);
    }
  }

  @org.junit.jupiter.api.Test
  void pg_dumps_words_name_the_servers_port_not_the_relays() {
    ConnectionString given =
        ConnectionString.parse("host=ep-x.neon.tech port=5433 dbname=d", "database-url");
    try (CountingRelay relay = CountingRelay.startFor(given).orElseThrow()) {
      String port = relay.route(given).parameter("port").orElseThrow();
      assertEquals(
          "pg_dump: error: connection to server at \"ep-x.neon.tech\", port 5433 failed: FATAL:  no",
          relay.unroute(
              "pg_dump: error: connection to server at \"ep-x.neon.tech\" (127.0.0.1), port " + port
                  + " failed: FATAL:  no"));
      assertEquals(
          "connection to server at \"127.0.0.1\", port 5433 failed",
          relay.unroute("connection to server at \"127.0.0.1\", port " + port + " failed"));
      String other = "a table named port " + port + "0, port 5432";
      assertEquals(other, relay.unroute(other));
    }
  }

  /** Reads one line from the client, answers with {@code reply}, then closes. */
  private static Thread serveOnce(ServerSocket server, byte[] reply) {
    Thread thread =
        new Thread(
            () -> {
              try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                  // the request
                }
                OutputStream out = socket.getOutputStream();
                out.write(reply);
                out.flush();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    thread.start();
    return thread;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  /** libpq's keepalives reach only the relay: the relay sets them on the leg to the server. */
  @Test
  void the_connections_keepalives_are_set_on_the_socket_to_the_server() throws Exception {
    try (java.net.Socket socket = new java.net.Socket()) {
      RelayKeepalive.of(
              ConnectionString.parse(
                  "postgresql://u@db.example/neondb?keepalives_idle=30&keepalives_interval=7&keepalives_count=4",
                  "database-url"))
          .applyTo(socket);
      assertTrue(socket.getKeepAlive());
      assertEquals(30, socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
      assertEquals(7, socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL));
      assertEquals(4, socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT));
    }
    try (java.net.Socket socket = new java.net.Socket()) {
      RelayKeepalive.of(
              ConnectionString.parse("postgresql://u@db.example/neondb?keepalives=0", "database-url"))
          .applyTo(socket);
      assertFalse(socket.getKeepAlive(), "keepalives=0 turns them off, as in libpq");
    }
    try (java.net.Socket socket = new java.net.Socket()) {
      RelayKeepalive.of(ConnectionString.parse("postgresql://u@db.example/neondb", "database-url"))
          .applyTo(socket);
      assertTrue(socket.getKeepAlive(), "on by default, as in libpq");
    }
  }
}
