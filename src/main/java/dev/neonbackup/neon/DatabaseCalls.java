package dev.neonbackup.neon;

import static dev.neonbackup.neon.NeonPaths.branchPath;
import static dev.neonbackup.neon.NeonPaths.encode;

import dev.neonbackup.neon.Call.Subject;
import java.util.List;
import java.util.Optional;

/**
 * The calls that change a branch's databases ({@code DELETE} and {@code POST
 * /projects/{id}/branches/{branch_id}/databases[/{name}]}), each answering the operations Neon
 * started to apply the change.
 */
final class DatabaseCalls {
  private final NeonHttp http;

  DatabaseCalls(NeonHttp http) {
    this.http = http;
  }

  /** Deletes {@code database}; no operations when it did not exist (204). */
  List<Operation> delete(String projectId, String branchId, String database) {
    Call call =
        new Call(
            "DELETE",
            branchPath(projectId, branchId) + "/databases/" + encode(database),
            "deleting database '" + database + "' of branch '" + branchId + "'",
            Subject.DATABASE,
            database,
            Optional.empty());
    return operations(http.send(call, Optional.empty()));
  }

  /** Creates {@code database} owned by the role {@code owner}. */
  List<Operation> create(String projectId, String branchId, String database, String owner) {
    Call call =
        new Call(
            "POST",
            branchPath(projectId, branchId) + "/databases",
            "creating database '" + database + "' owned by '" + owner + "' in branch '" + branchId + "'",
            Subject.DATABASE,
            database,
            Optional.empty());
    return operations(http.send(call, Optional.of(NeonJson.databaseBody(database, owner))));
  }

  private static List<Operation> operations(NeonHttp.Answer answer) {
    return NeonJson.list(answer.json(), "operations").stream().map(NeonJson::operation).toList();
  }
}
