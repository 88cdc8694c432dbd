package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * Adobe's S3Mock (the Spring Boot jar from system property {@code s3mock.jar}) as a process on
 * free loopback ports, for what S3Proxy lacks: versioned buckets with delete markers, version ids
 * on every read, SSE-KMS with key ids it checks ({@link #KMS_KEY_ID} is the one it knows), object
 * tags and storage classes. It does not check signatures, and it does not enforce Object Lock
 * retention (it lets a locked version be deleted): {@link ObjectLockProxy} in front of it does.
 * One server is shared by the tests of a JVM; each test makes its own bucket.
 */
public final class S3MockServer {
  /** A KMS key id this server accepts; any other is refused with KMS.NotFoundException. */
  public static final String KMS_KEY_ID = "neon-backup-test-key";
  public static final String KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KMS_KEY_ID;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3MockServer shared;

  private final Path dir;
  private final URI endpoint;
  private Process process;
  private S3Client client;

  private S3MockServer(Path dir, int httpPort) {
    this.dir = dir;
    this.endpoint = URI.create("http://127.0.0.1:" + httpPort);
  }

  /** The server of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized S3MockServer shared() {
    if (shared == null) {
      long started = System.nanoTime();
      S3MockServer server = new S3MockServer(TempDirs.create("s3mock-fixture-"), Ports.free());
      server.launch(Ports.free());
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutDown, "s3mock-stop"));
      FixtureLog.log("started S3Mock on " + server.endpoint + " in " + FixtureLog.seconds(started));
      shared = server;
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** S3Mock checks no signature: any key pair will do. */
  public String accessKeyId() {
    return "s3mock-access-key";
  }

  public String secretAccessKey() {
    return "s3mock-secret-key";
  }

  public String region() {
    return "us-east-1";
  }

  public Path logFile() {
    return dir.resolve("s3mock.log");
  }

  /** A client for this server. Owned by the server: don't close. */
  public synchronized S3Client client() {
    if (client == null) {
      client = JarServers.client(endpoint, region(), accessKeyId(), secretAccessKey());
    }
    return client;
  }

  /** A new bucket without versioning. */
  public String createBucket() {
    String name = "mock-" + BUCKETS.incrementAndGet() + "-" + Randoms.lowercase(10);
    client().createBucket(b -> b.bucket(name));
    return name;
  }

  /**
   * A new bucket with Object Lock enabled, and so versioned, as S3 makes one; S3Mock needs
   * versioning switched on by itself.
   */
  public String createLockedBucket() {
    String name = "lock-" + BUCKETS.incrementAndGet() + "-" + Randoms.lowercase(10);
    client().createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
    client()
        .putBucketVersioning(
            b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    return name;
  }

  /** Every version and delete marker under {@code prefix} (one page: tests keep few). */
  public ListObjectVersionsResponse versions(String bucket, String prefix) {
    return client().listObjectVersions(r -> r.bucket(bucket).prefix(prefix));
  }

  /** The current keys under {@code prefix}, in key order. */
  public List<String> keys(String bucket, String prefix) {
    return client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(object -> object.key())
        .toList();
  }

  private void launch(int httpsPort) {
    try {
      Files.createDirectories(dir.resolve("store"));
      ProcessBuilder builder =
          new ProcessBuilder(
                  JarServers.java(),
                  "-Xmx384m",
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  JarServers.jar("s3mock.jar", "S3Mock").toString(),
                  "--http.port=" + endpoint.getPort(),
                  "--server.port=" + httpsPort,
                  "--server.address=127.0.0.1",
                  "--com.adobe.testing.s3mock.store.root=" + dir.resolve("store"),
                  "--com.adobe.testing.s3mock.max-payload-size=256MB")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile().toFile());
      builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_VALID_KMS_KEYS", KMS_KEY_ARN);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Mock", e);
    }
    awaitAnswer();
  }

  private void awaitAnswer() {
    JarServers.awaitAnswer("S3Mock", process, endpoint, logFile(), START_TIMEOUT);
  }

  private synchronized void shutDown() {
    if (client != null) {
      client.close();
      client = null;
    }
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TempDirs.delete(dir);
  }
}
