package dev.neonbackup.neon;

import java.util.List;
import java.util.Set;

/**
 * The databases of a branch that a backup may choose among, each with its owner role: Neon's own
 * (templates, and those its system roles own) are left out should the API list them.
 */
public final class BranchDatabases {
  static final Set<String> SYSTEM_DATABASES = Set.of("template0", "template1");
  static final Set<String> SYSTEM_ROLES =
      Set.of("cloud_admin", "neon_superuser", "neon_service", "web_access", "neon_admin");

  private BranchDatabases() {}

  /** The user's databases of {@code branchId}, in Neon's order. */
  public static List<Database> of(NeonApi api, String projectId, String branchId) {
    return usersOnly(api.databases(projectId, branchId));
  }

  /** {@code databases} without Neon's system ones. */
  public static List<Database> usersOnly(List<Database> databases) {
    return databases.stream()
        .filter(database -> !SYSTEM_DATABASES.contains(database.name()))
        .filter(database -> !SYSTEM_ROLES.contains(database.ownerName()))
        .toList();
  }
}
