package dev.neonbackup.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryDirectoriesTest {
  private static final List<String> PREFIXES = List.of("neon-backup-", "neon-restore-");

  @TempDir Path tmp;

  private Path directory(String name, Duration age) throws IOException {
    Path directory = Files.createDirectory(tmp.resolve(name));
    Files.writeString(directory.resolve("pg_service.conf"), "password=secret\n");
    Files.setLastModifiedTime(directory, FileTime.from(Instant.now().minus(age)));
    return directory;
  }

  @Test
  void removes_this_tools_directories_older_than_a_day_with_their_files() throws IOException {
    Path stale = directory("neon-backup-123", Duration.ofDays(2));
    Path download = directory("neon-restore-456", Duration.ofHours(25));
    List<Path> removed = TemporaryDirectories.removeStale(tmp, PREFIXES, Duration.ofDays(1));
    assertEquals(2, removed.size());
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(download));
  }

  @Test
  void leaves_a_live_runs_directory_and_everything_that_is_not_this_tools() throws IOException {
    Path fresh = directory("neon-backup-789", Duration.ofHours(2));
    Path foreign = directory("other-tool-1", Duration.ofDays(9));
    Path file = Files.writeString(tmp.resolve("neon-backup-file"), "x");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(9))));
    assertEquals(List.of(), TemporaryDirectories.removeStale(tmp, PREFIXES, Duration.ofDays(1)));
    assertTrue(Files.exists(fresh));
    assertTrue(Files.exists(foreign));
    assertTrue(Files.exists(file));
  }

  @Test
  void never_follows_a_link_out_of_the_temporary_directory() throws IOException {
    Path elsewhere = Files.createDirectory(tmp.resolve("keep"));
    Path precious = Files.writeString(elsewhere.resolve("data"), "keep me");
    Path link = Files.createSymbolicLink(tmp.resolve("neon-backup-link"), elsewhere);
    Files.setLastModifiedTime(elsewhere, FileTime.from(Instant.now().minus(Duration.ofDays(9))));
    TemporaryDirectories.removeStale(tmp, PREFIXES, Duration.ofDays(1));
    assertTrue(Files.exists(precious));
    assertTrue(Files.isSymbolicLink(link));
  }
}
