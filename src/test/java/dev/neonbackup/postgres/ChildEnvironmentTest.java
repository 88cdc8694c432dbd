package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A client program inherits only what it needs: never the inputs, nor AWS or GitHub tokens. */
class ChildEnvironmentTest {
  private static final Map<String, String> RUNNER =
      Map.ofEntries(
          Map.entry("PATH", "/usr/bin:/bin"),
          Map.entry("HOME", "/github/home"),
          Map.entry("LANG", "C.UTF-8"),
          Map.entry("LC_ALL", "C.UTF-8"),
          Map.entry("LC_MESSAGES", "C"),
          Map.entry("TZ", "UTC"),
          Map.entry("TMPDIR", "/tmp"),
          Map.entry("PGSSLROOTCERT", "/etc/ssl/certs/ca.pem"),
          Map.entry("PGCONNECT_TIMEOUT", "10"),
          Map.entry("PGPASSWORD", "pw"),
          Map.entry("PGSERVICE", "other"),
          Map.entry("PGDATABASE", "other"),
          Map.entry("INPUT_DATABASE-URL", "postgresql://u:pw@h/db"),
          Map.entry("INPUT_AWS-SECRET-ACCESS-KEY", "s3cret"),
          Map.entry("AWS_SECRET_ACCESS_KEY", "s3cret"),
          Map.entry("AWS_SESSION_TOKEN", "t0ken"),
          Map.entry("GITHUB_TOKEN", "ghs_x"),
          Map.entry("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "x"),
          Map.entry("ACTIONS_RUNTIME_TOKEN", "x"),
          Map.entry("RUNNER_DEBUG", "1"),
          Map.entry("JAVA_TOOL_OPTIONS", "-Dx=y"),
          Map.entry("LD_PRELOAD", "/tmp/evil.so"),
          Map.entry("PGX", "not libpq's"));

  @Test
  void keeps_only_the_locale_the_paths_and_the_users_libpq_settings() {
    Map<String, String> environment = new HashMap<>(RUNNER);
    ChildEnvironment.restrict(environment);
    assertEquals(
        new TreeMap<>(
            Map.of(
                "PATH", "/usr/bin:/bin",
                "HOME", "/github/home",
                "LANG", "C.UTF-8",
                "LC_ALL", "C.UTF-8",
                "LC_MESSAGES", "C",
                "TZ", "UTC",
                "TMPDIR", "/tmp",
                "PGSSLROOTCERT", "/etc/ssl/certs/ca.pem",
                "PGCONNECT_TIMEOUT", "10")),
        new TreeMap<>(environment));
  }

  @Test
  void gives_a_program_without_a_path_none() {
    Map<String, String> environment = new HashMap<>(Map.of("INPUT_X", "y"));
    ChildEnvironment.restrict(environment);
    assertEquals(Map.of(), environment);
  }
}
