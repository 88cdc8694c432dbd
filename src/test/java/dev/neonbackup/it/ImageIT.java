package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image, end to end: {@code .ci/image/run-image-test.sh} builds it with Jib onto the
 * local base image and runs it the way GitHub's runner runs a container action, against a
 * PostgreSQL 17 server (the major of the image's pg_dump) and S3Proxy on the host's loopback;
 * then the image's own pg_restore restores what it stored. Needs root (podman); the script installs
 * podman and builds the base image when they are missing, so this test is never skipped.
 */
class ImageIT {
  /** The major of the PostgreSQL client tools in the local base image (build-local-base.sh). */
  private static final int IMAGE_PG_MAJOR = 17;
  private static final String IMAGE = "localhost/neon-backup-action:local-test";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(3);

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;
  private static Path dir;

  @BeforeAll
  static void startServers() throws IOException {
    postgres = PostgresServer.sharedLocal(IMAGE_PG_MAJOR);
    s3 = S3Server.shared();
    source = postgres.uniqueDatabaseName("image");
    postgres.createDatabase(source);
    postgres.execute(source, SampleData.VARIED);
    dir = Files.createTempDirectory("image-it-");
  }

  @AfterAll
  static void deleteFiles() {
    delete(dir);
  }

  @Test
  void the_image_backs_up_as_a_container_action_and_its_pg_restore_restores_equal_data()
      throws Exception {
    String bucket = s3.createBucket();
    Path work = Files.createDirectories(dir.resolve("run"));
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("IMAGE_TEST_BUILD", "jib");
    inputs.put("IMAGE_TEST_IMAGE", IMAGE);
    inputs.put("IMAGE_TEST_WORK_DIR", work.toString());
    inputs.put("IMAGE_TEST_DATABASE_URL", postgres.url(source));
    inputs.put("IMAGE_TEST_S3_BUCKET", bucket);
    inputs.put("IMAGE_TEST_S3_ENDPOINT", s3.endpoint().toString());
    inputs.put("IMAGE_TEST_S3_FORCE_PATH_STYLE", "true");
    inputs.put("IMAGE_TEST_AWS_REGION", s3.region());
    inputs.put("IMAGE_TEST_AWS_ACCESS_KEY_ID", s3.accessKeyId());
    inputs.put("IMAGE_TEST_AWS_SECRET_ACCESS_KEY", s3.secretAccessKey());

    Run script =
        Run.of(
            List.of("bash", ".ci/image/run-image-test.sh"),
            inputs,
            dir.resolve("script.log"),
            SCRIPT_TIMEOUT);
    System.out.println(ProgramRun.Result.hideMasks(script.output()).replaceAll("(?m)^", "[ImageIT] "));
    assertEquals(0, script.exitCode(), script::describe);

    Map<String, String> outputs = outputs(work.resolve("file_commands/output"));
    String key = outputs.getOrDefault("object-key", "");
    String sha256 = outputs.getOrDefault("sha256", "");
    assertTrue(
        key.matches("neon-backups/" + source + "/" + source + "-\\d{8}T\\d{6}Z\\.dump"),
        () -> "object-key '" + key + "'\n" + script.describe());
    assertTrue(
        sha256.matches("[0-9a-f]{64}"), () -> "sha256 '" + sha256 + "'\n" + script.describe());
    assertTrue(
        outputs.getOrDefault("pg-dump-version", "").startsWith(IMAGE_PG_MAJOR + "."),
        () -> "the image's pg_dump " + IMAGE_PG_MAJOR + " matches the server: " + outputs);
    assertTrue(
        outputs.getOrDefault("server-version", "").startsWith(IMAGE_PG_MAJOR + "."),
        outputs::toString);
    assertFalse(
        script.output().lines()
            .filter(line -> !line.startsWith("::add-mask::"))
            .anyMatch(line -> line.contains(postgres.password())),
        "the database password appears only in ::add-mask:: lines");

    assertEquals(List.of(key, key + ".json"), s3.keys(bucket, ""), "the archive and its manifest");
    byte[] stored = s3.getObject(bucket, key);
    assertEquals(sha256, sha256(stored), "sha256 output of the stored object");
    assertEquals(String.valueOf(stored.length), outputs.get("size-bytes"));
    assertTrue(s3.unfinishedUploads(bucket).isEmpty(), "no multipart upload left behind");

    Path archives = Files.createDirectories(dir.resolve("archives"));
    Files.write(archives.resolve("backup.dump"), stored);
    String restored = postgres.uniqueDatabaseName("image_restored");
    postgres.createDatabase(restored);
    Run restore = restoreWithTheImagesPgRestore(archives, "backup.dump", restored);
    assertEquals(0, restore.exitCode(), restore::describe);

    Map<String, String> expected = PgTools.tableFingerprints(postgres, source);
    assertEquals(3, expected.size(), expected::toString);
    assertEquals(expected, PgTools.tableFingerprints(postgres, restored));
    assertEquals(
        PgTools.queryString(postgres, source, "SELECT last_value FROM sales.invoice_numbers"),
        PgTools.queryString(postgres, restored, "SELECT last_value FROM sales.invoice_numbers"));
    assertEquals("500", PgTools.queryString(postgres, restored, "SELECT public.customer_count()"));
  }

  /** pg_restore of the image, in a container on the host's network, the password in PGPASSWORD. */
  private static Run restoreWithTheImagesPgRestore(Path archives, String archive, String database) {
    List<String> command =
        List.of(
            "podman", "run", "--rm", "--network", "host",
            "--entrypoint", "/usr/lib/postgresql/" + IMAGE_PG_MAJOR + "/bin/pg_restore",
            "-v", archives + ":/archives:ro",
            "-e", "PGPASSWORD",
            IMAGE,
            "--no-owner", "--no-acl", "--exit-on-error",
            "--host=" + postgres.host(),
            "--port=" + postgres.port(),
            "--username=" + postgres.superuser(),
            "--dbname=" + database,
            "/archives/" + archive);
    return Run.of(
        command,
        Map.of("PGPASSWORD", postgres.password()),
        dir.resolve("restore.log"),
        RESTORE_TIMEOUT);
  }

  /** The single-line {@code name=value} outputs of a GITHUB_OUTPUT file. */
  private static Map<String, String> outputs(Path file) throws IOException {
    Map<String, String> outputs = new LinkedHashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          outputs.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    }
    return outputs;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** A command run from the project's directory, its stdout and stderr together in a log file. */
  private record Run(List<String> command, int exitCode, String output) {
    static Run of(
        List<String> command, Map<String, String> environment, Path log, Duration timeout) {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(projectDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().keySet().removeIf(name -> name.startsWith("IMAGE_TEST_"));
      builder.environment().putAll(environment);
      try {
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor();
          throw new AssertionError(
              String.join(" ", command) + " did not finish within " + timeout + ":\n" + read(log));
        }
        return new Run(command, process.exitValue(), read(log));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + command, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    String describe() {
      return String.join(" ", command.subList(0, 2)) + " ... exited with " + exitCode
          + "; its output:\n" + ProgramRun.Result.hideMasks(output);
    }

    private static Path projectDir() {
      return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    private static String read(Path log) {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }
  }
}
