package dev.neonbackup.shutdown;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes what a run that was killed outright left in the temporary directory. */
public final class TemporaryDirectories {
  private TemporaryDirectories() {}

  /**
   * Deletes the directories directly under {@code parent} whose names start with one of {@code
   * prefixes}, that this user owns, and that were last changed more than {@code age} ago. Links
   * are never followed. Returns what was removed; what cannot be read is left alone.
   */
  public static List<Path> removeStale(Path parent, List<String> prefixes, Duration age) {
    List<Path> removed = new ArrayList<>();
    Instant before = Instant.now().minus(age);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (prefixes.stream().anyMatch(name::startsWith) && isStale(entry, before)) {
          deleteTree(entry);
          removed.add(entry);
        }
      }
    } catch (IOException e) {
      // An unreadable temporary directory holds nothing this tool can clean.
    }
    return removed;
  }

  private static boolean isStale(Path entry, Instant before) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return attributes.isDirectory()
        && attributes.lastModifiedTime().toInstant().isBefore(before)
        && Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS)
            .getName()
            .equals(System.getProperty("user.name"));
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
