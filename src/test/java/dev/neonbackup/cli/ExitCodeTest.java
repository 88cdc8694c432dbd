package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one table from failure kind to exit status, and the README's table of the same. */
class ExitCodeTest {
  @Test
  void a_neon_api_failure_exits_11() {
    assertEquals(11, ExitCode.of(FailureKind.NEON_API).status());
  }

  @Test
  void every_kind_but_internal_has_its_own_status() {
    Set<ExitCode> seen = EnumSet.noneOf(ExitCode.class);
    for (FailureKind kind : FailureKind.values()) {
      ExitCode code = ExitCode.of(kind);
      assertTrue(
          kind == FailureKind.INTERNAL ? code == ExitCode.INTERNAL : seen.add(code),
          kind + " shares " + code);
      assertTrue(kind == FailureKind.INTERNAL || code != ExitCode.INTERNAL, kind + " is unmapped");
    }
  }

  @Test
  void the_readme_lists_every_status() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (ExitCode code : ExitCode.values()) {
      assertTrue(readme.contains("\n| " + code.status() + " | "), "README has no row for " + code);
    }
  }
}
