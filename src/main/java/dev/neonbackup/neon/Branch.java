package dev.neonbackup.neon;

import java.time.Instant;
import java.util.Optional;

/** A branch as the Neon API describes it, with only the fields this program uses. */
public record Branch(
    String id,
    String name,
    Optional<String> parentId,
    Optional<String> parentLsn,
    Optional<Instant> parentTimestamp,
    boolean isDefault,
    boolean isProtected,
    String currentState,
    Optional<Instant> createdAt,
    Optional<Instant> expiresAt) {

  /** Branch ids start with {@code br-}; anything else the user gives is a name. */
  public static boolean looksLikeId(String idOrName) {
    return idOrName.startsWith("br-");
  }

  /** "name (id)", for messages. */
  public String describe() {
    return "'" + name + "' (" + id + ")";
  }
}
