package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy as a child process ({@code java -jar}, the jar
 * from system property {@code s3proxy.jar}), storing objects as files under a temporary
 * directory, with SigV4 authentication and random credentials, on a free loopback port.
 */
public final class S3Server implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3Server shared;

  private final Path dir;
  private final URI endpoint;
  private final String accessKeyId = "AKIA" + Randoms.alphanumeric(16).toUpperCase(Locale.ROOT);
  private final String secretAccessKey = Randoms.alphanumeric(40);
  private final Thread shutdownHook = new Thread(this::shutDown, "stop-s3proxy");
  private Process process;
  private S3Client client;
  private boolean isShared;

  private S3Server(Path dir, int port) {
    this.dir = dir;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** The server shared by every test in this JVM; started on first use, stopped at JVM exit. */
  public static synchronized S3Server shared() {
    if (shared == null) {
      shared = start();
      shared.isShared = true;
    }
    return shared;
  }

  /** A new server of its own, e.g. for a test that stops it mid-upload. Close it when done. */
  public static S3Server start() {
    long started = System.nanoTime();
    S3Server server = new S3Server(TempDirs.create("s3-fixture-"), Ports.free());
    try {
      server.launch();
    } catch (RuntimeException e) {
      server.shutDown();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    FixtureLog.log(
        "started S3Proxy on " + server.endpoint + " in " + FixtureLog.seconds(started)
            + " (files in " + server.dir + ")");
    return server;
  }

  public URI endpoint() {
    return endpoint;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  public String region() {
    return "us-east-1";
  }

  /** Where S3Proxy keeps the objects: one directory per bucket, one file per object. */
  public Path storageDir() {
    return dir.resolve("storage");
  }

  /** S3Proxy's own output. */
  public Path logFile() {
    return dir.resolve("s3proxy.log");
  }

  /** A client for this server (path-style, static credentials). Owned by the server: don't close. */
  public synchronized S3Client client() {
    if (client == null) {
      client = JarServers.client(endpoint, region(), accessKeyId, secretAccessKey);
    }
    return client;
  }

  /** Creates a bucket with a new unique name and returns the name. */
  public String createBucket() {
    String name = "test-" + BUCKETS.incrementAndGet() + "-" + Randoms.lowercase(10);
    client().createBucket(b -> b.bucket(name));
    return name;
  }

  /** Every key in {@code bucket} that starts with {@code prefix}, in S3's (lexical) order. */
  public List<String> keys(String bucket, String prefix) {
    return client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(object -> object.key())
        .collect(Collectors.toList());
  }

  public byte[] getObject(String bucket, String key) {
    return client().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  public void putObject(String bucket, String key, byte[] data) {
    client().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(data));
  }

  /** Multipart uploads started and neither completed nor aborted, as {@code "key uploadId"}. */
  public List<String> unfinishedUploads(String bucket) {
    return client().listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().stream()
        .map(upload -> upload.key() + " " + upload.uploadId())
        .collect(Collectors.toList());
  }

  /** Kills S3Proxy and waits for it to exit; requests fail from then on. Not on the shared one. */
  public void stop() {
    if (isShared) {
      throw new IllegalStateException(
          "stop is not allowed on the shared S3 server; use S3Server.start()");
    }
    kill();
  }

  /** Stops the server and deletes its files. Does nothing on the {@link #shared()} server. */
  @Override
  public void close() {
    if (isShared) {
      return;
    }
    shutDown();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs (or ran) anyway; shutDown is idempotent
    }
  }

  private void launch() {
    Path properties = dir.resolve("s3proxy.properties");
    try {
      Files.createDirectories(storageDir());
      Files.writeString(
          properties,
          "s3proxy.endpoint=" + endpoint + "\n"
              + "s3proxy.authorization=aws-v2-or-v4\n"
              + "s3proxy.identity=" + accessKeyId + "\n"
              + "s3proxy.credential=" + secretAccessKey + "\n"
              + "jclouds.provider=filesystem-nio2\n"
              + "jclouds.filesystem.basedir=" + storageDir() + "\n");
      process =
          new ProcessBuilder(JarServers.java(), "-jar", JarServers.jar("s3proxy.jar", "S3Proxy").toString(), "--properties", properties.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile().toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy", e);
    }
    awaitAnswer();
  }

  private void awaitAnswer() {
    JarServers.awaitAnswer("S3Proxy", process, endpoint, logFile(), START_TIMEOUT);
  }

  private synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("S3Proxy (pid " + process.pid() + ") did not exit");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping S3Proxy", e);
      }
    }
  }

  private synchronized void shutDown() {
    if (client != null) {
      client.close();
      client = null;
    }
    kill();
    TempDirs.delete(dir);
  }
}
