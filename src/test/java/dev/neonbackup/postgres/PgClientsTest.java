package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.FailureException;
import dev.neonbackup.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Which pg_dump a run uses, by {@code pg-dump-client}, for plain lists of installed majors. */
class PgClientsTest {
  /** Debian's own client on this machine (bash .ci/setup installs it). */
  private static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");

  private static List<PgInstallation> installed(int... majors) {
    return java.util.Arrays.stream(majors)
        .mapToObj(major -> new PgInstallation(major, Path.of("/usr/lib/postgresql/" + major + "/bin")))
        .toList();
  }

  @ParameterizedTest
  @CsvSource({
    // server, match picks, newest picks (installed: 14, 15, 17, 18)
    "14, 14, 18", "15, 15, 18", "16, 17, 18", "17, 17, 18", "18, 18, 18", "12, 14, 18"
  })
  void match_takes_the_servers_major_else_the_lowest_newer_and_newest_the_newest(
      int server, int match, int newest) {
    List<PgInstallation> clients = installed(14, 15, 17, 18);
    assertEquals(match, PgClients.pick(clients, server, PgDumpClient.MATCH).installation().major());
    assertEquals(newest, PgClients.pick(clients, server, PgDumpClient.NEWEST).installation().major());
  }

  @Test
  void match_warns_only_when_the_servers_major_is_missing() {
    List<PgInstallation> clients = installed(15, 17);
    assertEquals(Optional.empty(), PgClients.pick(clients, 15, PgDumpClient.MATCH).warning());
    assertEquals(
        Optional.of(
            "no pg_dump 16 is installed; using pg_dump 17. Restoring this archive needs"
                + " pg_restore 17 or newer."),
        PgClients.pick(clients, 16, PgDumpClient.MATCH).warning());
  }

  @Test
  void newest_warns_when_it_is_newer_than_the_server_naming_the_pg_restore_it_needs() {
    List<PgInstallation> clients = installed(15, 17);
    assertEquals(
        Optional.of(
            "pg-dump-client is newest: using pg_dump 17 for a PostgreSQL 15 server. Restoring this"
                + " archive needs pg_restore 17 or newer."),
        PgClients.pick(clients, 15, PgDumpClient.NEWEST).warning());
    assertEquals(Optional.empty(), PgClients.pick(clients, 17, PgDumpClient.NEWEST).warning());
  }

  @ParameterizedTest
  @EnumSource(PgDumpClient.class)
  void a_server_newer_than_every_client_fails_naming_both_majors(PgDumpClient rule) {
    FailureException e =
        assertThrows(FailureException.class, () -> PgClients.pick(installed(14, 15), 17, rule));
    assertEquals(FailureKind.DATABASE, e.kind());
    assertEquals(
        "no suitable pg_dump: the server runs PostgreSQL 17, and pg_dump must be that major or"
            + " newer; installed majors: 14, 15 (install postgresql-client-17, or point pg-bin-dir"
            + " at its bin directory)",
        e.getMessage());
    assertEquals(ExitCode.DATABASE, ExitCode.of(e));
  }

  @ParameterizedTest
  @EnumSource(PgDumpClient.class)
  void nothing_installed_fails_for_either_rule(PgDumpClient rule) {
    FailureException e =
        assertThrows(FailureException.class, () -> PgClients.pick(List.of(), 15, rule));
    assertTrue(e.getMessage().contains("installed majors: none"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(PgDumpClient.class)
  void pg_bin_dir_wins_over_both_rules(PgDumpClient rule, @TempDir Path root) throws IOException {
    for (int major : new int[] {14, 16, 17, 18}) {
      fakeClient(root.resolve(major + "/bin"));
    }
    assertEquals(
        List.of(14, 16, 17, 18),
        PgClients.discover(Optional.empty(), root).stream().map(PgInstallation::major).toList());

    List<PgInstallation> chosen = PgClients.discover(Optional.of(DEBIAN_15), root);
    assertEquals(List.of(new PgInstallation(15, DEBIAN_15)), chosen);
    PgClients.Choice choice = PgClients.pick(chosen, 15, rule);
    assertEquals(DEBIAN_15, choice.installation().binDir());
    assertFalse(choice.newer());
    assertEquals(Optional.empty(), choice.warning());
    assertThrows(FailureException.class, () -> PgClients.pick(chosen, 16, rule));
  }

  /** An executable pg_dump file is all that discovery looks for under a major's directory. */
  private static void fakeClient(Path bin) throws IOException {
    Files.createDirectories(bin);
    Path pgDump = Files.createFile(bin.resolve("pg_dump"));
    Files.setPosixFilePermissions(pgDump, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
