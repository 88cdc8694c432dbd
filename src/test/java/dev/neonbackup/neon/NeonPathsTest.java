package dev.neonbackup.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NeonPathsTest {
  @Test
  void a_name_of_dots_stays_one_path_segment() {
    assertEquals("%2E%2E", NeonPaths.encode(".."));
    assertEquals("%2E", NeonPaths.encode("."));
    assertEquals("...", NeonPaths.encode("..."));
    assertEquals("a%2Fb", NeonPaths.encode("a/b"));
    assertEquals("a%20b", NeonPaths.encode("a b"));
  }
}
