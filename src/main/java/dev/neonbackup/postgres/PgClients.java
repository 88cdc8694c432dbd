package dev.neonbackup.postgres;

import dev.neonbackup.failure.FailureKind;
import dev.neonbackup.failure.FailureException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the PostgreSQL client programs on this machine and picks the one to use for a server.
 * Debian and the PostgreSQL apt repository install each major under {@code
 * /usr/lib/postgresql/NN/bin}; a {@code pg-bin-dir} input replaces that search.
 */
public final class PgClients {
  public static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

  private PgClients() {}

  /** What the search found, lowest major first; empty if nothing is installed. */
  public static List<PgInstallation> discover(Optional<Path> pgBinDir, Path root) {
    if (pgBinDir.isPresent()) {
      Path dir = pgBinDir.get();
      return majorOf(dir).map(major -> List.of(new PgInstallation(major, dir))).orElse(List.of());
    }
    List<PgInstallation> found = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (DirectoryStream<Path> majors = Files.newDirectoryStream(root)) {
        for (Path majorDir : majors) {
          String name = majorDir.getFileName().toString();
          Path bin = majorDir.resolve("bin");
          if (name.matches("\\d+") && Files.isExecutable(bin.resolve("pg_dump"))) {
            found.add(new PgInstallation(Integer.parseInt(name), bin));
          }
        }
      } catch (IOException e) {
        // An unreadable directory is the same as nothing installed there.
      }
    }
    found.sort(Comparator.comparingInt(PgInstallation::major));
    return found;
  }

  /**
   * The client for a server of {@code serverMajor} under {@code rule}: {@code match} takes the same
   * major if installed, else the lowest newer one; {@code newest} the newest one. pg_dump reads
   * older servers, never newer ones, so a client older than the server is never taken.
   */
  public static Choice pick(List<PgInstallation> installed, int serverMajor, PgDumpClient rule) {
    List<PgInstallation> able =
        installed.stream().filter(i -> i.major() >= serverMajor).toList();
    if (able.isEmpty()) {
      throw noSuitablePgDump(installed, serverMajor);
    }
    PgInstallation chosen =
        rule == PgDumpClient.NEWEST
            ? able.get(able.size() - 1)
            : able.stream().filter(i -> i.major() == serverMajor).findFirst().orElse(able.get(0));
    return new Choice(chosen, serverMajor, rule);
  }

  private static FailureException noSuitablePgDump(List<PgInstallation> installed, int serverMajor) {
    String majors =
        installed.isEmpty()
            ? "none"
            : installed.stream()
                .map(i -> String.valueOf(i.major()))
                .collect(Collectors.joining(", "));
    return new FailureException(
        FailureKind.DATABASE,
        "no suitable pg_dump: the server runs PostgreSQL "
            + serverMajor
            + ", and pg_dump must be that major or newer; installed majors: "
            + majors
            + " (install postgresql-client-"
            + serverMajor
            + ", or point pg-bin-dir at its bin directory)");
  }

  /**
   * The pg_restore for an archive written by pg_dump {@code dumpMajor} (0 when unknown), into a
   * server of {@code targetMajor}: at least the dump's major; the target's own major if possible
   * (a newer pg_restore may emit settings an older server refuses), else the closest newer one.
   */
  public static PgInstallation pickRestore(
      List<PgInstallation> installed, int dumpMajor, int targetMajor) {
    List<PgInstallation> able =
        installed.stream().filter(i -> i.major() >= dumpMajor).toList();
    if (able.isEmpty()) {
      throw new FailureException(
          FailureKind.RESTORE,
          "no suitable pg_restore: the archive was written by pg_dump "
              + dumpMajor
              + ", which needs pg_restore "
              + dumpMajor
              + " or newer; installed majors: "
              + installed.stream().map(i -> String.valueOf(i.major())).collect(Collectors.joining(", ")));
    }
    return able.stream()
        .filter(i -> i.major() >= targetMajor)
        .findFirst()
        .orElse(able.get(able.size() - 1));
  }

  /** The major of a version string such as "17.6" or "15.18 (Debian ...)"; 0 when unreadable. */
  public static int majorOf(String version) {
    Matcher matcher = Pattern.compile("^(\\d+)").matcher(version == null ? "" : version.strip());
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
  }

  /** The chosen client for a server of {@code serverMajor}, and the rule that chose it. */
  public record Choice(PgInstallation installation, int serverMajor, PgDumpClient rule) {
    /** Whether the client is newer than the server, so its archive needs a newer pg_restore. */
    public boolean newer() {
      return installation.major() > serverMajor;
    }

    /** What the log should say about a client newer than the server; empty when it matches. */
    public Optional<String> warning() {
      if (!newer()) {
        return Optional.empty();
      }
      int major = installation.major();
      String why =
          rule == PgDumpClient.NEWEST
              ? PgDumpClient.INPUT + " is newest: using pg_dump " + major
                  + " for a PostgreSQL " + serverMajor + " server."
              : "no pg_dump " + serverMajor + " is installed; using pg_dump " + major + ".";
      return Optional.of(why + " Restoring this archive needs pg_restore " + major + " or newer.");
    }
  }

  /** The major of the pg_dump in {@code binDir}, asked from {@code pg_dump --version}. */
  public static Optional<Integer> majorOf(Path binDir) {
    return versionOf(binDir.resolve("pg_dump")).map(PgClients::majorOfVersion);
  }

  /** The version string a client program prints, e.g. "15.18". */
  public static Optional<String> versionOf(Path program) {
    if (!Files.isExecutable(program)) {
      return Optional.empty();
    }
    try {
      ProcessBuilder builder =
          new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true);
      ChildEnvironment.restrict(builder.environment());
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes()).strip();
      process.waitFor();
      Matcher matcher = VERSION.matcher(output);
      return matcher.find()
          ? Optional.of(
              matcher.group(1) + (matcher.group(2) == null ? "" : "." + matcher.group(2)))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static int majorOfVersion(String version) {
    int dot = version.indexOf('.');
    return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
  }
}
