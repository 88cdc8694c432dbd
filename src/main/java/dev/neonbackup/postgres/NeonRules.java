package dev.neonbackup.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Neon's documentation asks of a pg_dump connection, applied to a connection string: never
 * through the pooler (PgBouncer in transaction mode), and TLS. Hosts that are not Neon's are left
 * exactly as given.
 */
public final class NeonRules {
  /** {@code ep-<id>-pooler.<region...>.neon.tech}: the pooled host carries -pooler after the id. */
  private static final Pattern POOLED =
      Pattern.compile("^(ep-[a-z0-9-]+?)-pooler(\\.[a-z0-9.-]+\\.neon\\.tech)\\.?$");

  private NeonRules() {}

  /** The connection to use, and what was changed, in words, for warnings. */
  public record Adjusted(ConnectionString connection, List<String> warnings, List<String> notes) {}

  public static Adjusted apply(ConnectionString given, boolean allowPooled) {
    List<String> warnings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ConnectionString connection = given;
    String hosts = given.parameter("host").orElse("");
    if (!hosts.isEmpty()) {
      List<String> direct = new ArrayList<>();
      boolean pooled = false;
      for (String host : hosts.split(",", -1)) {
        Matcher matcher = POOLED.matcher(host.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
          pooled = true;
          direct.add(allowPooled ? host : matcher.group(1) + matcher.group(2));
        } else {
          direct.add(host);
        }
      }
      if (pooled && !allowPooled) {
        connection = connection.withParameter("host", String.join(",", direct));
        warnings.add(
            "database-url points at Neon's connection pooler ("
                + hosts
                + "); pg_dump must not go through PgBouncer, so the direct host "
                + String.join(",", direct)
                + " is used instead. Use the direct connection string, or set allow-pooled: true"
                + " to keep the pooled host.");
      } else if (pooled) {
        warnings.add(
            "database-url points at Neon's connection pooler and allow-pooled is true: pg_dump"
                + " goes through PgBouncer in transaction mode, which Neon advises against.");
      }
    }
    if (isNeon(hosts) && connection.parameter("sslmode").isEmpty()) {
      connection = connection.withParameter("sslmode", "require");
      notes.add("added sslmode=require for the Neon host");
    }
    return new Adjusted(connection, warnings, notes);
  }

  /** The CA bundle of Debian and Ubuntu, for libpq before 16, which lacks sslrootcert=system. */
  public static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

  /** The first libpq that reads {@code sslrootcert=system}. */
  static final int SYSTEM_ROOTS_SINCE = 16;

  /**
   * TLS to a Neon host, for a client of libpq {@code libpqMajor}. With {@code verify} (the
   * verify-tls input, default true) the server certificate is checked against the system's roots
   * and the host name: any weaker sslmode becomes {@code verify-full}, and {@code sslrootcert}
   * (unless given) becomes {@code system} (libpq 16+) or the CA bundle. Without it, TLS is still
   * required. {@code channel_binding} and every other parameter stay as given; hosts that are not
   * Neon's are left alone.
   */
  public static ConnectionString tls(ConnectionString given, boolean verify, int libpqMajor) {
    if (!isNeon(given.parameter("host").orElse(""))) {
      return given;
    }
    if (!verify) {
      return given.parameter("sslmode").isPresent() ? given : given.withParameter("sslmode", "require");
    }
    ConnectionString verified = given.withParameter("sslmode", "verify-full");
    if (given.parameter("sslrootcert").isPresent()) {
      return verified;
    }
    return verified.withParameter(
        "sslrootcert", libpqMajor >= SYSTEM_ROOTS_SINCE ? "system" : CA_BUNDLE);
  }

  /** Roles Neon creates and manages itself; a roles dump leaves them out. */
  public static final List<String> SYSTEM_ROLES = List.of("cloud_admin", "neon_superuser", "neon_service");

  private static final Pattern SYSTEM_ROLE =
      Pattern.compile("(?<![\\w\"$])\"?(" + String.join("|", SYSTEM_ROLES) + ")\"?(?![\\w\"$])");

  /** A pg_dumpall --roles-only script without the lines that mention Neon's own roles. */
  public static String withoutSystemRoles(String rolesScript) {
    StringBuilder out = new StringBuilder();
    for (String line : rolesScript.split("\n", -1)) {
      boolean sql = !line.startsWith("--");
      if (!(sql && SYSTEM_ROLE.matcher(line).find())) {
        out.append(line).append('\n');
      }
    }
    return out.substring(0, Math.max(0, out.length() - 1));
  }

  static boolean isNeon(String hosts) {
    if (hosts.isEmpty()) {
      return false;
    }
    for (String host : hosts.split(",")) {
      String name = host.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
      if (!name.endsWith(".neon.tech")) {
        return false;
      }
    }
    return true;
  }
}
