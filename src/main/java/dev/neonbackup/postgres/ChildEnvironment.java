package dev.neonbackup.postgres;

import java.util.Map;
import java.util.Set;

/**
 * The environment a PostgreSQL client program inherits: an allow-list, so that nothing the runner
 * hands the action (the INPUT_* values with the connection string, AWS keys, GitHub tokens) can
 * be read from the child's {@code /proc/PID/environ} or passed further down.
 */
public final class ChildEnvironment {
  private static final Set<String> SYSTEM = Set.of("PATH", "HOME", "LANG", "TZ", "TMPDIR");

  /**
   * libpq's environment variables a user may set to tune a connection (TLS files, timeouts,
   * protocol choices). Left out: PGPASSWORD, PGSERVICE and PGDATABASE, which would override or
   * leak what the tool passes in its service file, and PGSERVICEFILE, which the tool sets.
   */
  private static final Set<String> LIBPQ =
      Set.of(
          "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSFILE", "PGREQUIREAUTH",
          "PGCHANNELBINDING", "PGOPTIONS", "PGAPPNAME", "PGSSLMODE", "PGREQUIRESSL",
          "PGSSLNEGOTIATION", "PGSSLCOMPRESSION", "PGSSLCERT", "PGSSLKEY", "PGSSLCERTMODE",
          "PGSSLROOTCERT", "PGSSLCRL", "PGSSLCRLDIR", "PGSSLSNI", "PGREQUIREPEER",
          "PGSSLMINPROTOCOLVERSION", "PGSSLMAXPROTOCOLVERSION", "PGGSSENCMODE", "PGKRBSRVNAME",
          "PGGSSLIB", "PGGSSDELEGATION", "PGCONNECT_TIMEOUT", "PGCLIENTENCODING",
          "PGTARGETSESSIONATTRS", "PGLOADBALANCEHOSTS", "PGDATESTYLE", "PGTZ", "PGGEQO",
          "PGSYSCONFDIR", "PGLOCALEDIR");

  private ChildEnvironment() {}

  /** Removes from {@code environment} (a ProcessBuilder's) every variable not allowed. */
  public static void restrict(Map<String, String> environment) {
    environment.keySet().removeIf(name -> !allowed(name));
  }

  static boolean allowed(String name) {
    return SYSTEM.contains(name) || name.startsWith("LC_") || LIBPQ.contains(name);
  }
}
