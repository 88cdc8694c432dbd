package dev.neonbackup.backup;

import dev.neonbackup.failure.FailureException;
import dev.neonbackup.store.ObjectLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run did: results and failures in the order of the databases, and the roles script. A
 * failure to store the roles is under {@link #ROLES}.
 */
public record RunOutcome(
    List<BackupResult> results,
    Map<String, FailureException> failures,
    Optional<ObjectLocation> roles) {

  /** The key under which a run's outcome holds a failure to store the roles. */
  public static final String ROLES = "(roles)";
}
