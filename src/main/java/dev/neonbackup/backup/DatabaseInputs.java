package dev.neonbackup.backup;

import dev.neonbackup.postgres.ConnectRetry;
import dev.neonbackup.postgres.DatabaseSelection;
import java.util.Objects;

/** Which databases one backup run reaches, and how. Validated. */
public record DatabaseInputs(
    boolean allowPooled,
    int connectRetries,
    DatabaseSelection selection,
    int parallelDatabases,
    boolean includeRoles,
    boolean verifyTls) {

  /** Every input unset: the database of the connection string, with the defaults. */
  public static DatabaseInputs none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The inputs, typed as the command line converted them (null: not given). */
  public static final class Builder {
    private Boolean allowPooled;
    private Integer connectRetries;
    private String databases;
    private String excludeDatabases;
    private Integer parallelDatabases;
    private Boolean includeRoles;
    private Boolean verifyTls;

    private Builder() {}

    public Builder allowPooled(Boolean value) {
      allowPooled = value;
      return this;
    }

    public Builder connectRetries(Integer value) {
      connectRetries = value;
      return this;
    }

    public Builder databases(String value) {
      databases = value;
      return this;
    }

    public Builder excludeDatabases(String value) {
      excludeDatabases = value;
      return this;
    }

    public Builder parallelDatabases(Integer value) {
      parallelDatabases = value;
      return this;
    }

    public Builder includeRoles(Boolean value) {
      includeRoles = value;
      return this;
    }

    public Builder verifyTls(Boolean value) {
      verifyTls = value;
      return this;
    }

    /** Reads the database lists, which can still be refused, and applies the defaults. */
    public DatabaseInputs build() {
      return new DatabaseInputs(
          Boolean.TRUE.equals(allowPooled),
          Objects.requireNonNullElse(connectRetries, ConnectRetry.DEFAULT_RETRIES),
          DatabaseSelection.parse(databases, excludeDatabases),
          Objects.requireNonNullElse(parallelDatabases, 1),
          Boolean.TRUE.equals(includeRoles),
          !Boolean.FALSE.equals(verifyTls));
    }
  }
}
