package dev.neonbackup.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 reverse proxy on a free loopback port in front of a real {@link S3Server}, that
 * answers the requests a {@link FaultPlan} picks with an S3 error of its own (500 InternalError,
 * 503 SlowDown), as S3 does now and then, and forwards every other request byte for byte.
 *
 * <p>Forwarding is faithful because a SigV4 signature covers the request line and the signed
 * headers, Host included: the head is relayed exactly as the client wrote it, so S3Proxy sees the
 * Host the client signed (the proxy's host:port). Bodies are relayed by their own framing,
 * Content-Length (aws-chunked is such a body) or {@code Transfer-Encoding: chunked}, untouched;
 * {@code Expect: 100-continue} is relayed too. Each client connection gets one upstream
 * connection of its own, so keep-alive behaves end to end as it would without the proxy.
 *
 * <p>A faulted request's body is read to the end first, so the client gets a clean response on a
 * connection it can keep using. Requests and faults are counted per {@link Operation}.
 */
public final class FaultyS3Proxy implements AutoCloseable {
  /** Client and upstream sockets together; far more than any test opens. */
  private static final int MAX_OPEN_SOCKETS = 128;
  private static final int IDLE_TIMEOUT_MILLIS = 120_000;
  private static final int MAX_HISTORY = 500;
  /** The longest a gate holds a request, so a test that forgets to open it still ends. */
  private static final Duration GATE_LIMIT = Duration.ofMinutes(2);

  private final S3Server upstream;
  private final FaultPlan plan;
  private final ServerSocket listener;
  private final ExecutorService connections;
  private final Thread acceptor;
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final Map<Operation, AtomicInteger> requests = counters();
  private final Map<Operation, AtomicInteger> faults = counters();
  private final Deque<String> history = new ArrayDeque<>();
  private volatile boolean closed;

  private FaultyS3Proxy(S3Server upstream, FaultPlan plan) throws IOException {
    this.upstream = upstream;
    this.plan = plan;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.connections =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "faulty-s3-proxy-connection");
              thread.setDaemon(true);
              return thread;
            });
    this.acceptor = new Thread(this::acceptConnections, "faulty-s3-proxy-accept");
    acceptor.setDaemon(true);
  }

  /** Starts a proxy in front of {@code upstream} that injects the faults {@code plan} picks. */
  public static FaultyS3Proxy inFrontOf(S3Server upstream, FaultPlan plan) {
    try {
      FaultyS3Proxy proxy = new FaultyS3Proxy(upstream, plan);
      proxy.acceptor.start();
      FixtureLog.log("started a fault-injecting proxy on " + proxy.endpoint() + " in front of "
          + upstream.endpoint());
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fault-injecting proxy", e);
    }
  }

  /** Where clients send their requests; use it as the S3 endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Requests of {@code operation} received, faulted ones included. */
  public int requests(Operation operation) {
    return requests.get(operation).get();
  }

  /** Requests of {@code operation} that the proxy answered with a fault. */
  public int faults(Operation operation) {
    return faults.get(operation).get();
  }

  public int faultsInjected() {
    return faults.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** One line per request so far (operation, request line, outcome): for assertion messages. */
  public String describe() {
    synchronized (history) {
      return "requests through " + endpoint() + ":\n" + String.join("\n", history);
    }
  }

  /** Stops accepting, drops every open connection and waits for the proxy's threads to end. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    openSockets.forEach(FaultyS3Proxy::closeQuietly);
    connections.shutdownNow();
    try {
      acceptor.join(5_000);
      connections.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptConnections() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        if (openSockets.size() >= MAX_OPEN_SOCKETS) {
          closeQuietly(client); // refuse rather than grow without bound
          continue;
        }
        openSockets.add(client);
        try {
          connections.execute(() -> serve(client));
        } catch (RejectedExecutionException closing) {
          openSockets.remove(client);
          closeQuietly(client);
        }
      } catch (IOException e) {
        if (!closed) {
          FixtureLog.log("the fault-injecting proxy stopped accepting: " + e);
        }
        return;
      }
    }
  }

  /** Relays the requests of one client connection, in order, until either side closes it. */
  private void serve(Socket client) {
    try (Socket clientSocket = client;
        UpstreamConnection server = new UpstreamConnection()) {
      clientSocket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
      InputStream fromClient = new BufferedInputStream(clientSocket.getInputStream());
      OutputStream toClient = new BufferedOutputStream(clientSocket.getOutputStream());
      boolean keepOpen = true;
      while (keepOpen && !closed) {
        Head request = Head.read(fromClient);
        if (request == null) {
          return; // the client closed its connection between requests
        }
        keepOpen = exchange(request, fromClient, toClient, server);
        toClient.flush();
      }
    } catch (IOException e) {
      // a peer went away or the proxy is closing: the connection ends, as it would upstream
    } finally {
      openSockets.remove(client);
    }
  }

  /** Answers one request, itself or through the upstream; false when the connection must end. */
  private boolean exchange(
      Head request, InputStream fromClient, OutputStream toClient, UpstreamConnection server)
      throws IOException {
    Operation operation =
        Operation.of(request.method(), request.query(), request.header("Range").isPresent());
    int ordinal = requests.get(operation).incrementAndGet();
    Optional<Fault> fault = plan.faultFor(operation, ordinal);
    plan.delayFor(operation).ifPresent(FaultyS3Proxy::pause);
    plan.gateFor(operation).ifPresent(FaultyS3Proxy::awaitGate);
    if (fault.isPresent()) {
      faults.get(operation).incrementAndGet();
      record(operation, ordinal, request, fault.get().describe());
      answerWithFault(request, fault.get(), fromClient, toClient);
      return !request.asksToClose();
    }
    Head response = forward(request, fromClient, toClient, server);
    record(operation, ordinal, request, response == null ? "no response" : response.startLine());
    return response != null
        && !request.asksToClose()
        && !response.asksToClose()
        && Bodies.responseLength(request, response) != Bodies.UNTIL_CLOSE;
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitGate(CountDownLatch gate) {
    try {
      gate.await(GATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answerWithFault(
      Head request, Fault fault, InputStream fromClient, OutputStream toClient)
      throws IOException {
    if (request.expectsContinue() && request.hasBody()) {
      toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      toClient.flush();
    }
    Bodies.relayRequestBody(request, fromClient, OutputStream.nullOutputStream());
    toClient.write(fault.response(request.method().equals("HEAD"), request.asksToClose()));
  }

  /**
   * Relays the request and then the upstream's answer; returns the final response's head, or null
   * when the upstream refused the body of an {@code Expect: 100-continue} request (then the client
   * never sends the body, and the connection cannot be reused).
   */
  private static Head forward(
      Head request, InputStream fromClient, OutputStream toClient, UpstreamConnection server)
      throws IOException {
    server.ensureOpen();
    server.out.write(request.raw());
    if (request.expectsContinue() && request.hasBody()) {
      server.out.flush();
      Head answer = relayInterimResponses(server.in, toClient, true);
      if (answer.status() != 100) {
        relayResponse(request, answer, server.in, toClient);
        server.discard();
        return null;
      }
    }
    Bodies.relayRequestBody(request, fromClient, server.out);
    server.out.flush();
    Head response = relayInterimResponses(server.in, toClient, false);
    relayResponse(request, response, server.in, toClient);
    if (response.asksToClose()) {
      server.discard();
    }
    return response;
  }

  /**
   * Passes 1xx responses on to the client and returns the final response's head, or the first
   * 100 Continue if {@code untilContinue}. The caller relays the final response.
   */
  private static Head relayInterimResponses(
      InputStream fromServer, OutputStream toClient, boolean untilContinue) throws IOException {
    while (true) {
      Head response = Head.read(fromServer);
      if (response == null) {
        throw new IOException("the upstream closed the connection without answering");
      }
      if (response.status() >= 200) {
        return response;
      }
      toClient.write(response.raw());
      toClient.flush();
      if (untilContinue && response.status() == 100) {
        return response;
      }
    }
  }

  private static void relayResponse(
      Head request, Head response, InputStream fromServer, OutputStream toClient)
      throws IOException {
    toClient.write(response.raw());
    Bodies.relay(Bodies.responseLength(request, response), fromServer, toClient);
  }

  private void record(Operation operation, int ordinal, Head request, String outcome) {
    synchronized (history) {
      if (history.size() == MAX_HISTORY) {
        history.removeFirst();
      }
      history.addLast(operation + " #" + ordinal + " " + request.startLine() + " -> " + outcome);
    }
  }

  private static Map<Operation, AtomicInteger> counters() {
    Map<Operation, AtomicInteger> counters = new EnumMap<>(Operation.class);
    for (Operation operation : Operation.values()) {
      counters.put(operation, new AtomicInteger());
    }
    return counters;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  /** The S3 operations a fault plan can pick, told apart by method and query parameters. */
  public enum Operation {
    CREATE_MULTIPART_UPLOAD,
    UPLOAD_PART,
    COMPLETE_MULTIPART_UPLOAD,
    ABORT_MULTIPART_UPLOAD,
    LIST_PARTS,
    /** A GetObject of a byte range (a Range header): a parallel restore's download. */
    GET_OBJECT_RANGE,
    /** A ListObjectsV2 (GET with {@code list-type}). */
    LIST_OBJECTS,
    /** Everything else: HeadObject, PutObject, a whole GetObject, bucket requests. */
    OTHER;

    static Operation of(String method, String query, boolean ranged) {
      Set<String> parameters = parameterNames(query);
      boolean inUpload = parameters.contains("uploadId");
      switch (method) {
        case "POST":
          return parameters.contains("uploads")
              ? CREATE_MULTIPART_UPLOAD
              : inUpload ? COMPLETE_MULTIPART_UPLOAD : OTHER;
        case "PUT":
          return inUpload && parameters.contains("partNumber") ? UPLOAD_PART : OTHER;
        case "DELETE":
          return inUpload ? ABORT_MULTIPART_UPLOAD : OTHER;
        case "GET":
          if (parameters.contains("list-type")) {
            return LIST_OBJECTS;
          }
          return inUpload ? LIST_PARTS : ranged ? GET_OBJECT_RANGE : OTHER;
        default:
          return OTHER;
      }
    }

    private static Set<String> parameterNames(String query) {
      Set<String> names = new TreeSet<>();
      for (String parameter : query.split("&")) {
        int equals = parameter.indexOf('=');
        names.add(equals < 0 ? parameter : parameter.substring(0, equals));
      }
      return names;
    }
  }

  /** The errors S3 itself answers when it cannot serve a request right now; both are retryable. */
  public enum Fault {
    INTERNAL_ERROR(500, "Internal Server Error", "InternalError",
        "We encountered an internal error. Please try again."),
    SLOW_DOWN(503, "Slow Down", "SlowDown", "Please reduce your request rate.");

    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final int status;
    private final String reason;
    private final String code;
    private final String message;

    Fault(int status, String reason, String code, String message) {
      this.status = status;
      this.reason = reason;
      this.code = code;
      this.message = message;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    String describe() {
      return status + " " + code + " (injected)";
    }

    /** A whole response as S3 words it: status line, headers, and the XML error document. */
    byte[] response(boolean headRequest, boolean close) {
      String requestId = String.format("FAULTYPROXY%08d", REQUEST_IDS.incrementAndGet());
      byte[] body =
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                  + message + " (injected by FaultyS3Proxy)</Message><RequestId>" + requestId
                  + "</RequestId></Error>")
              .getBytes(StandardCharsets.UTF_8);
      String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
      String head =
          "HTTP/1.1 " + status + " " + reason + "\r\n"
              + "Date: " + date + "\r\n"
              + "x-amz-request-id: " + requestId + "\r\n"
              + "Content-Type: application/xml\r\n"
              + "Content-Length: " + (headRequest ? 0 : body.length) + "\r\n"
              + (close ? "Connection: close\r\n" : "")
              + "\r\n";
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      response.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
      if (!headRequest) {
        response.writeBytes(body);
      }
      return response.toByteArray();
    }
  }

  /**
   * Which requests fail, by operation and by the request's ordinal among that operation's requests
   * (1-based, retries included): "the 2nd and 5th UploadPart with 503". Immutable.
   */
  public static final class FaultPlan {
    private static final int EVERY = 0;
    private final Map<Operation, Rule> rules;
    private final Map<Operation, Duration> delays;
    private final Map<Operation, CountDownLatch> gates;

    private record Rule(Fault fault, Set<Integer> ordinals) {
      boolean matches(int ordinal) {
        return ordinals.contains(EVERY) || ordinals.contains(ordinal);
      }
    }

    private FaultPlan(
        Map<Operation, Rule> rules, Map<Operation, Duration> delays, Map<Operation, CountDownLatch> gates) {
      this.rules = rules;
      this.delays = delays;
      this.gates = gates;
    }

    /** Forwards everything. */
    public static FaultPlan none() {
      return new FaultPlan(Map.of(), Map.of(), Map.of());
    }

    /**
     * This plan, and every request of {@code operation} held until {@code gate} opens (counts
     * down to zero), or for at most two minutes.
     */
    public FaultPlan holdUntil(Operation operation, CountDownLatch gate) {
      Map<Operation, CountDownLatch> more = new EnumMap<>(Operation.class);
      more.putAll(gates);
      more.put(operation, gate);
      return new FaultPlan(rules, delays, Map.copyOf(more));
    }

    Optional<CountDownLatch> gateFor(Operation operation) {
      return Optional.ofNullable(gates.get(operation));
    }

    /** This plan, and every request of {@code operation} held for {@code delay} first. */
    public FaultPlan delay(Operation operation, Duration delay) {
      Map<Operation, Duration> more = new EnumMap<>(Operation.class);
      more.putAll(delays);
      more.put(operation, delay);
      return new FaultPlan(rules, Map.copyOf(more), gates);
    }

    Optional<Duration> delayFor(Operation operation) {
      return Optional.ofNullable(delays.get(operation));
    }

    /**
     * This plan, and also {@code fault} for the given requests of {@code operation} (1 is its
     * first request); replaces what the plan said about {@code operation} before.
     */
    public FaultPlan fail(Operation operation, Fault fault, int... ordinals) {
      if (ordinals.length == 0 || Arrays.stream(ordinals).anyMatch(n -> n < 1)) {
        throw new IllegalArgumentException("ordinals are 1-based and at least one is needed");
      }
      return with(operation, new Rule(fault, toSet(ordinals)));
    }

    /** This plan, and also {@code fault} for every request of {@code operation}; replaces too. */
    public FaultPlan failEvery(Operation operation, Fault fault) {
      return with(operation, new Rule(fault, Set.of(EVERY)));
    }

    Optional<Fault> faultFor(Operation operation, int ordinal) {
      Rule rule = rules.get(operation);
      return rule != null && rule.matches(ordinal) ? Optional.of(rule.fault()) : Optional.empty();
    }

    private FaultPlan with(Operation operation, Rule rule) {
      Map<Operation, Rule> more = new EnumMap<>(Operation.class);
      more.putAll(rules);
      more.put(operation, rule);
      return new FaultPlan(Map.copyOf(more), delays, gates);
    }

    private static Set<Integer> toSet(int[] ordinals) {
      Set<Integer> set = new TreeSet<>();
      Arrays.stream(ordinals).forEach(set::add);
      return Set.copyOf(set);
    }

    @Override
    public String toString() {
      return rules.toString();
    }
  }

  /** The proxy's connection to the real server for one client connection; reopened as needed. */
  private final class UpstreamConnection implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /**
     * Connects unless a live connection is at hand. A connection the upstream closed while idle
     * is replaced quietly, as any proxy's connection pool does.
     */
    void ensureOpen() throws IOException {
      if (socket != null && !closedByPeer()) {
        return;
      }
      discard();
      if (closed) {
        throw new IOException("the proxy is closed");
      }
      socket = new Socket();
      openSockets.add(socket);
      URI target = upstream.endpoint();
      socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 10_000);
      socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
      in = new BufferedInputStream(socket.getInputStream());
      out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Between exchanges an upstream sends nothing, so anything readable means it hung up. */
    private boolean closedByPeer() throws IOException {
      socket.setSoTimeout(1);
      try {
        in.read(); // end of stream, or a stray byte: either way this connection is done
        return true;
      } catch (SocketTimeoutException stillOpen) {
        return false;
      } catch (IOException reset) {
        return true;
      } finally {
        if (!socket.isClosed()) {
          socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
        }
      }
    }

    void discard() {
      if (socket != null) {
        closeQuietly(socket);
        openSockets.remove(socket);
        socket = null;
      }
    }

    @Override
    public void close() {
      discard();
    }
  }

  /** A request's or response's start line and header fields, and the exact bytes they came in. */
  private record Head(byte[] raw, String startLine, List<Field> fields) {
    private static final int MAX_BYTES = 64 * 1024;

    /** Reads a head up to its blank line; null if the stream ends before the first byte. */
    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      String startLine = Bodies.copyLine(in, raw, true);
      if (startLine == null) {
        return null;
      }
      List<Field> fields = new ArrayList<>();
      for (String line = Bodies.copyLine(in, raw, false);
          !line.isEmpty();
          line = Bodies.copyLine(in, raw, false)) {
        if (raw.size() > MAX_BYTES) {
          throw new IOException("a message head longer than " + MAX_BYTES + " bytes");
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
      }
      return new Head(raw.toByteArray(), startLine, List.copyOf(fields));
    }

    Optional<String> header(String name) {
      return fields.stream()
          .filter(field -> field.name().equalsIgnoreCase(name))
          .map(Field::value)
          .reduce((first, second) -> first + ", " + second);
    }

    boolean headerHasToken(String name, String token) {
      return header(name).stream()
          .flatMap(value -> Arrays.stream(value.split(",")))
          .anyMatch(value -> value.trim().equalsIgnoreCase(token));
    }

    String method() {
      return startLine.split(" ", 2)[0];
    }

    /** The raw query string of a request, without the '?'; empty if there is none. */
    String query() {
      String target = startLine.split(" ", 3)[1];
      int question = target.indexOf('?');
      return question < 0 ? "" : target.substring(question + 1);
    }

    /** The status code of a response. */
    int status() {
      return Integer.parseInt(startLine.split(" ", 3)[1]);
    }

    boolean expectsContinue() {
      return headerHasToken("Expect", "100-continue");
    }

    boolean asksToClose() {
      boolean http10 = startLine.startsWith("HTTP/1.0 ") || startLine.endsWith(" HTTP/1.0");
      return http10 || headerHasToken("Connection", "close");
    }

    boolean hasBody() throws IOException {
      return isChunked() || contentLength() > 0;
    }

    boolean isChunked() {
      return header("Transfer-Encoding")
          .map(value -> value.toLowerCase(Locale.ROOT).trim().endsWith("chunked"))
          .orElse(false);
    }

    long contentLength() throws IOException {
      Optional<String> value = header("Content-Length");
      try {
        return value.isEmpty() ? 0 : Long.parseLong(value.get().split(",")[0].trim());
      } catch (NumberFormatException e) {
        throw new IOException("a malformed Content-Length: " + value.get());
      }
    }
  }

  private record Field(String name, String value) {}

  /** Relays message bodies by HTTP/1.1 framing, byte for byte. */
  private static final class Bodies {
    static final long CHUNKED = -1;
    static final long UNTIL_CLOSE = -2;
    private static final int MAX_LINE = 16 * 1024;

    private Bodies() {}

    static void relayRequestBody(Head request, InputStream in, OutputStream out)
        throws IOException {
      relay(request.isChunked() ? CHUNKED : request.contentLength(), in, out);
    }

    /** How a response's body ends: after a byte count, {@link #CHUNKED} or {@link #UNTIL_CLOSE}. */
    static long responseLength(Head request, Head response) throws IOException {
      int status = response.status();
      if (request.method().equals("HEAD") || status < 200 || status == 204 || status == 304) {
        return 0;
      }
      if (response.isChunked()) {
        return CHUNKED;
      }
      return response.header("Content-Length").isPresent() ? response.contentLength() : UNTIL_CLOSE;
    }

    static void relay(long length, InputStream in, OutputStream out) throws IOException {
      if (length == CHUNKED) {
        relayChunked(in, out);
      } else if (length == UNTIL_CLOSE) {
        in.transferTo(out);
      } else {
        relayExactly(in, out, length);
      }
    }

    /** Chunk-size lines, chunk data and trailers, all passed on exactly as they arrive. */
    private static void relayChunked(InputStream in, OutputStream out) throws IOException {
      while (true) {
        String sizeLine = copyLine(in, out, false);
        long size;
        try {
          size = Long.parseLong(sizeLine.split(";", 2)[0].trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("a malformed chunk size line: " + sizeLine);
        }
        if (size == 0) {
          while (!copyLine(in, out, false).isEmpty()) {
            // trailer fields
          }
          return;
        }
        relayExactly(in, out, size);
        if (!copyLine(in, out, false).isEmpty()) {
          throw new IOException("chunk data longer than its size line says");
        }
      }
    }

    private static void relayExactly(InputStream in, OutputStream out, long length)
        throws IOException {
      byte[] buffer = new byte[64 * 1024];
      long remaining = length;
      while (remaining > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (read < 0) {
          throw new IOException("the stream ended " + remaining + " bytes before the body did");
        }
        out.write(buffer, 0, read);
        remaining -= read;
      }
    }

    /**
     * Copies one line, its CRLF included, and returns it without the line end. At the end of the
     * stream before any byte: null if {@code endAllowed}, else an IOException.
     */
    static String copyLine(InputStream in, OutputStream out, boolean endAllowed)
        throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          if (endAllowed && line.size() == 0) {
            return null;
          }
          throw new IOException("the stream ended in the middle of a line");
        }
        if (line.size() >= MAX_LINE) {
          throw new IOException("a line longer than " + MAX_LINE + " bytes");
        }
        line.write(b);
        out.write(b);
      }
      out.write('\n');
      String text = line.toString(StandardCharsets.ISO_8859_1);
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
  }
}
