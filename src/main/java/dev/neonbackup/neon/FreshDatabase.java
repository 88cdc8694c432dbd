package dev.neonbackup.neon;

import dev.neonbackup.report.Reporter;

/**
 * A database made empty in a branch through the Neon API: dropped, then created again with its
 * owner, waiting for Neon to apply each change. Meant for a branch made for the purpose, which is
 * a copy: its parent is never touched.
 */
public final class FreshDatabase {
  private FreshDatabase() {}

  /** Drops {@code database} in {@code branch} (if it is there) and creates it owned by {@code owner}. */
  public static void recreate(
      NeonApi api, String projectId, Branch branch, String database, String owner, Reporter reporter) {
    OperationWait wait = new OperationWait(api, projectId, reporter);
    DatabaseCalls calls = api.databaseCalls();
    reporter.info("dropping database '" + database + "' in the new branch " + branch.describe());
    wait.forOperations(branch, calls.delete(projectId, branch.id(), database));
    reporter.info("creating database '" + database + "' owned by '" + owner + "', empty");
    wait.forOperations(branch, calls.create(projectId, branch.id(), database, owner));
  }
}
