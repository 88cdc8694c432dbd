package dev.neonbackup.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What the test servers that run from a jar (S3Proxy, S3Mock) share: finding it, starting, waiting. */
final class JarServers {
  private JarServers() {}

  /** A path-style client with static credentials, for a test server's own checks. */
  static S3Client client(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  /** The java of this JVM, to run the server's jar with. */
  static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The jar named by system property {@code property} (set by the pom), or a clear error. */
  static Path jar(String property, String name) {
    Path jar = Path.of(System.getProperty(property, "target/test-servers/" + property));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          name + " jar not found at " + jar.toAbsolutePath()
              + "; run `mvn generate-test-resources` (or set -D" + property + "=...)");
    }
    return jar;
  }

  /** Waits until {@code endpoint} answers HTTP at all (any status, e.g. 403 for anonymous access). */
  static void awaitAnswer(String name, Process process, URI endpoint, Path log, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with status " + process.exitValue() + ":\n" + TempDirs.tail(log, 4000));
      }
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        pause(name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(
        name + " did not answer on " + endpoint + " within " + timeout.toSeconds() + " s:\n"
            + TempDirs.tail(log, 4000));
  }

  private static void pause(String name) {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }
}
