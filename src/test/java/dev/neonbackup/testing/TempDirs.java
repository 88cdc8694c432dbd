package dev.neonbackup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;

/** Temporary directories for the test servers: create, hand over to another user, delete. */
final class TempDirs {
  private TempDirs() {}

  static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /** Gives {@code dir} and everything under it to the OS user {@code owner} (needs root). */
  static void chown(Path dir, String owner) {
    try (Stream<Path> paths = Files.walk(dir)) {
      UserPrincipal user =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
      for (Path path : (Iterable<Path>) paths::iterator) {
        Files.setOwner(path, user);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot give " + dir + " to user " + owner, e);
    }
  }

  /** Deletes {@code dir} with its contents; quietly does nothing when it is already gone. */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                throws IOException {
              Files.deleteIfExists(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      FixtureLog.log("could not delete " + dir + ": " + e);
    }
  }

  /** The last {@code maxChars} characters of a text file, for error messages. */
  static String tail(Path file, int maxChars) {
    try {
      String text = Files.readString(file);
      return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
