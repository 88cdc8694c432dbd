package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.postgres.ArchiveHeader;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image, end to end: {@code .ci/image/run-image-test.sh} builds it with Jib onto the
 * local base image and runs it the way GitHub's runner runs a container action, against a
 * PostgreSQL 17 server (the major of the image's pg_dump) and S3Proxy on the host's loopback;
 * then the image's own pg_restore, and the program's own restore command in the image, restore
 * what it stored. Needs root (podman); the script installs
 * podman and builds the base image when they are missing, so this test is never skipped.
 */
class ImageIT {
  /** The major of the PostgreSQL client tools in the local base image (build-local-base.sh). */
  private static final int IMAGE_PG_MAJOR = 17;
  private static final String IMAGE = "localhost/neon-backup-action:local-test";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(3);
  /** An older server (a zonky build) for pg-dump-client: newest. */
  private static final int OLDER_SERVER_MAJOR = 14;

  /** Whether a run of this class has built and loaded the image already. */
  private static boolean imageBuilt;

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
    ImageBackup backup = backupInTheImage(postgres, source, bucket, Map.of());
    Map<String, String> outputs = backup.outputs();
    String key = outputs.getOrDefault("object-key", "");
    String sha256 = outputs.getOrDefault("sha256", "");
    assertTrue(
        key.matches("neon-backups/" + source + "/" + source + "-\\d{8}T\\d{6}Z\\.dump"),
        () -> "object-key '" + key + "'\n" + backup.script().describe());
    assertTrue(
        sha256.matches("[0-9a-f]{64}"), () -> "sha256 '" + sha256 + "'\n" + backup.script().describe());
    assertTrue(
        outputs.getOrDefault("pg-dump-version", "").startsWith(IMAGE_PG_MAJOR + "."),
        () -> "the image's pg_dump " + IMAGE_PG_MAJOR + " matches the server: " + outputs);
    assertTrue(
        outputs.getOrDefault("server-version", "").startsWith(IMAGE_PG_MAJOR + "."),
        outputs::toString);
    assertFalse(
        backup.script().output().lines()
            .filter(line -> !line.startsWith("::add-mask::"))
            .anyMatch(line -> line.contains(postgres.password())),
        "the database password appears only in ::add-mask:: lines");

    assertEquals(List.of(key, key + ".json"), s3.keys(bucket, ""), "the archive and its manifest");
    byte[] stored = s3.getObject(bucket, key);
    assertEquals(sha256, sha256(stored), "sha256 output of the stored object");
    assertEquals(String.valueOf(stored.length), outputs.get("size-bytes"));
    assertTrue(s3.unfinishedUploads(bucket).isEmpty(), "no multipart upload left behind");
    // Default inputs: compression auto, which is zstd:1 for the image's pg_dump 17.
    assertEquals("zstd", ArchiveHeader.parse(stored).orElseThrow().compression(), "the archive's header");
    assertEquals("zstd:1", manifestCompression(bucket, key));
    assertTrue(
        backup.script().output().contains("compression: auto \u2192 zstd:1 (pg_dump " + IMAGE_PG_MAJOR + ")"),
        backup.script()::describe);

    Path archives = Files.createDirectories(dir.resolve("archives"));
    Files.write(archives.resolve("backup.dump"), stored);
    String restored = postgres.uniqueDatabaseName("image_restored");
    postgres.createDatabase(restored);
    Run restore = restoreWithTheImagesPgRestore(archives, "backup.dump", restored);
    assertEquals(0, restore.exitCode(), restore::describe);
    assertRestoredEqual(postgres, source, postgres, restored);

    String restoredByTheProgram = postgres.uniqueDatabaseName("image_restore_command");
    postgres.createDatabase(restoredByTheProgram);
    Run command = restoreWithTheProgramInTheImage(bucket, key, postgres, restoredByTheProgram);
    assertEquals(0, command.exitCode(), command::describe);
    assertRestoredEqual(postgres, source, postgres, restoredByTheProgram);
  }

  /**
   * The image starts from its class-data sharing archive (src/main/cds): the program's classes and
   * the AWS SDK's come from it, and so does most of what a run loads. Less means that
   * src/main/cds/classes.lst is stale: run .ci/image/class-list.
   */
  @Test
  void the_image_loads_its_classes_from_its_class_data_sharing_archive() throws Exception {
    String bucket = s3.createBucket();
    backupInTheImage(postgres, source, bucket, Map.of());
    Map<String, String> inputs = storageInputs(bucket);
    // The image's own entrypoint, with the class-load log added after its flags (its
    // -Xlog:disable would turn off one given earlier, as JAVA_TOOL_OPTIONS is).
    List<String> entrypoint = imageEntrypoint();
    int classpath = entrypoint.indexOf("-cp");
    assertTrue(entrypoint.get(0).equals("java") && classpath > 0, entrypoint::toString);
    List<String> command = new ArrayList<>(List.of("podman", "run", "--rm", "--network", "host"));
    inputs.keySet().forEach(name -> command.addAll(List.of("-e", name)));
    command.addAll(List.of("--entrypoint", "java", IMAGE));
    command.addAll(entrypoint.subList(1, classpath));
    command.add("-Xlog:class+load=info:stdout");
    command.addAll(entrypoint.subList(classpath, entrypoint.size()));
    command.add("list");
    Run list = Run.of(command, inputs, dir.resolve("class-load.log"), RESTORE_TIMEOUT);
    assertEquals(0, list.exitCode(), list::describe);
    List<String> loaded = list.output().lines().filter(line -> line.contains(" source: ")).toList();
    List<String> shared =
        loaded.stream().filter(line -> line.contains("source: shared objects file")).toList();
    Supplier<String> counts = () -> shared.size() + " of " + loaded.size() + " classes shared";
    assertTrue(loaded.size() > 1000, counts);
    for (String name : List.of("dev.neonbackup.Main", "software.amazon.awssdk.services.s3.DefaultS3Client")) {
      assertTrue(
          shared.stream().anyMatch(line -> line.contains(" " + name + " source: ")),
          () -> name + " is not from the archive; " + counts.get());
    }
    assertTrue(shared.size() * 100L >= loaded.size() * 90L, counts);
  }

  /**
   * The image has only pg_dump 17, so {@code match} would take it for an older server too (the
   * lowest newer one); what {@code newest} changes is tested in PgClientsTest. Here: the input
   * reaches the program, auto follows the chosen pg_dump (not the server), and the warning names
   * the pg_restore the archive needs.
   */
  @Test
  void pg_dump_client_newest_dumps_an_older_server_with_the_images_pg_dump_17_and_zstd()
      throws Exception {
    PostgresServer older = PostgresServer.sharedLocal(OLDER_SERVER_MAJOR);
    String database = older.uniqueDatabaseName("image_newest");
    older.createDatabase(database);
    older.execute(database, SampleData.VARIED);
    String bucket = s3.createBucket();
    ImageBackup backup =
        backupInTheImage(older, database, bucket, Map.of("IMAGE_TEST_PG_DUMP_CLIENT", "newest"));
    Map<String, String> outputs = backup.outputs();
    assertTrue(
        outputs.getOrDefault("pg-dump-version", "").startsWith(IMAGE_PG_MAJOR + "."), outputs::toString);
    assertTrue(
        outputs.getOrDefault("server-version", "").startsWith(OLDER_SERVER_MAJOR + "."), outputs::toString);
    assertTrue(
        backup.script().output().contains(
            "pg-dump-client is newest: using pg_dump " + IMAGE_PG_MAJOR + " for a PostgreSQL "
                + OLDER_SERVER_MAJOR + " server. Restoring this archive needs pg_restore "
                + IMAGE_PG_MAJOR + " or newer."),
        backup.script()::describe);
    String key = outputs.get("object-key");
    byte[] stored = s3.getObject(bucket, key);
    assertEquals("zstd", ArchiveHeader.parse(stored).orElseThrow().compression(), "the archive's header");
    assertEquals("zstd:1", manifestCompression(bucket, key));

    String restored = postgres.uniqueDatabaseName("image_newest_restored");
    postgres.createDatabase(restored);
    Run command = restoreWithTheProgramInTheImage(bucket, key, postgres, restored);
    assertEquals(0, command.exitCode(), command::describe);
    assertRestoredEqual(older, database, postgres, restored);
  }

  /** What one run of the image as a container action left: the script's run and its outputs. */
  private record ImageBackup(Run script, Map<String, String> outputs) {}

  /**
   * Runs .ci/image/run-image-test.sh: the first run in this class builds the image with Jib, later
   * ones run the image it loaded. {@code inputs} adds IMAGE_TEST_<INPUT> variables.
   */
  private static ImageBackup backupInTheImage(
      PostgresServer server, String database, String bucket, Map<String, String> inputs)
      throws IOException {
    Path work = Files.createTempDirectory(dir, "run-");
    Map<String, String> environment = new LinkedHashMap<>(inputs);
    environment.put("IMAGE_TEST_BUILD", imageBuilt ? "none" : "jib");
    environment.put("IMAGE_TEST_IMAGE", IMAGE);
    environment.put("IMAGE_TEST_WORK_DIR", work.toString());
    environment.put("IMAGE_TEST_DATABASE_URL", server.url(database));
    environment.put("IMAGE_TEST_S3_BUCKET", bucket);
    environment.put("IMAGE_TEST_S3_ENDPOINT", s3.endpoint().toString());
    environment.put("IMAGE_TEST_S3_FORCE_PATH_STYLE", "true");
    environment.put("IMAGE_TEST_AWS_REGION", s3.region());
    environment.put("IMAGE_TEST_AWS_ACCESS_KEY_ID", s3.accessKeyId());
    environment.put("IMAGE_TEST_AWS_SECRET_ACCESS_KEY", s3.secretAccessKey());
    Run script =
        Run.of(
            List.of("bash", ".ci/image/run-image-test.sh"),
            environment,
            work.resolve("script.log"),
            SCRIPT_TIMEOUT);
    System.out.println(ProgramRun.Result.hideMasks(script.output()).replaceAll("(?m)^", "[ImageIT] "));
    assertEquals(0, script.exitCode(), script::describe);
    imageBuilt = true;
    return new ImageBackup(script, outputs(work.resolve("file_commands/output")));
  }

  private static String manifestCompression(String bucket, String key) {
    String json = new String(s3.getObject(bucket, key + ".json"), StandardCharsets.UTF_8);
    return Manifest.read(json).compression();
  }

  private static void assertRestoredEqual(
      PostgresServer sourceServer, String sourceDatabase, PostgresServer target, String restored) {
    Map<String, String> expected = PgTools.tableFingerprints(sourceServer, sourceDatabase);
    assertEquals(3, expected.size(), expected::toString);
    assertEquals(expected, PgTools.tableFingerprints(target, restored));
    assertEquals(
        PgTools.queryString(sourceServer, sourceDatabase, "SELECT last_value FROM sales.invoice_numbers"),
        PgTools.queryString(target, restored, "SELECT last_value FROM sales.invoice_numbers"));
    assertEquals("500", PgTools.queryString(target, restored, "SELECT public.customer_count()"));
  }

  /**
   * The program's own {@code restore}, run in the image (whose entrypoint is the program, so the
   * arguments after the image name are its command line): the image's pg_restore 17 reads the
   * archive as it streams from S3. Inputs as INPUT_* variables, only their names on podman's
   * command line.
   */
  private static Run restoreWithTheProgramInTheImage(
      String bucket, String key, PostgresServer target, String database) {
    Map<String, String> inputs = storageInputs(bucket);
    inputs.put("INPUT_BACKUP-KEY", key);
    inputs.put("INPUT_TARGET-URL", target.url(database));
    List<String> command = new ArrayList<>(List.of("podman", "run", "--rm", "--network", "host"));
    inputs.keySet().forEach(name -> command.addAll(List.of("-e", name)));
    command.addAll(List.of(IMAGE, "restore"));
    return Run.of(command, inputs, dir.resolve("restore-command-" + database + ".log"), RESTORE_TIMEOUT);
  }

  /** The image's entrypoint, as Jib set it (the CDS layer keeps it). */
  private static List<String> imageEntrypoint() throws IOException {
    Run inspect =
        Run.of(
            List.of("podman", "image", "inspect", "--format", "{{join .Config.Entrypoint \"\\n\"}}", IMAGE),
            Map.of(), dir.resolve("entrypoint.log"), RESTORE_TIMEOUT);
    assertEquals(0, inspect.exitCode(), inspect::describe);
    return inspect.output().lines().filter(line -> !line.isBlank()).toList();
  }

  /** The inputs that reach the test's S3 server, as INPUT_* variables. */
  private static Map<String, String> storageInputs(String bucket) {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("INPUT_S3-BUCKET", bucket);
    inputs.put("INPUT_S3-ENDPOINT", s3.endpoint().toString());
    inputs.put("INPUT_S3-FORCE-PATH-STYLE", "true");
    inputs.put("INPUT_AWS-REGION", s3.region());
    inputs.put("INPUT_AWS-ACCESS-KEY-ID", s3.accessKeyId());
    inputs.put("INPUT_AWS-SECRET-ACCESS-KEY", s3.secretAccessKey());
    return inputs;
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
