package dev.neonbackup.postgres;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketOption;
import java.util.OptionalInt;
import jdk.net.ExtendedSocketOptions;

/**
 * libpq's TCP keepalives for the connection ({@code keepalives}, on unless 0, and {@code
 * keepalives_idle}, {@code _interval}, {@code _count} in seconds; the system's values where not
 * given). libpq applies them to its socket, which reaches only this relay: the relay applies them
 * to the leg that crosses the network.
 */
record RelayKeepalive(boolean on, OptionalInt idle, OptionalInt interval, OptionalInt count) {
  static RelayKeepalive of(ConnectionString connection) {
    return new RelayKeepalive(
        !connection.parameter("keepalives").map(String::strip).filter("0"::equals).isPresent(),
        seconds(connection, "keepalives_idle"),
        seconds(connection, "keepalives_interval"),
        seconds(connection, "keepalives_count"));
  }

  private static OptionalInt seconds(ConnectionString connection, String keyword) {
    return connection.parameter(keyword).map(String::strip).filter(v -> v.matches("[1-9][0-9]{0,6}"))
        .map(v -> OptionalInt.of(Integer.parseInt(v))).orElse(OptionalInt.empty());
  }

  void applyTo(Socket socket) throws IOException {
    socket.setKeepAlive(on);
    if (on) {
      set(socket, ExtendedSocketOptions.TCP_KEEPIDLE, idle);
      set(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, interval);
      set(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, count);
    }
  }

  private static void set(Socket socket, SocketOption<Integer> option, OptionalInt value)
      throws IOException {
    if (value.isPresent() && socket.supportedOptions().contains(option)) {
      socket.setOption(option, value.getAsInt());
    }
  }
}
