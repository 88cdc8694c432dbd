package dev.neonbackup.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A branch of the Neon API stand-in's project: its metadata and its own running PostgreSQL (a
 * {@link NeonLikeEndpoint} without pooler), a copy of its parent's data at the time of the create
 * call. Tests write through {@link #server()} (JDBC as the superuser) or connect as a user would
 * with {@link #connectionUri(String)}.
 */
public final class NeonBranch {
  private static final String[] ADJECTIVES = {"aged", "sweet", "raspy", "icy", "wispy", "calm"};
  private static final String[] NOUNS = {"salad", "breeze", "hill", "dream", "meadow", "lake"};

  private static final String OWN_APPLICATION = "neon-api-stand-in";

  private final String id;
  private final String name;
  private final String parentId;
  private final String parentTimestamp;
  private final String parentLsn;
  private final String expiresAt;
  private final boolean isDefault;
  private final boolean endpointRequested;
  private final NeonLikeEndpoint endpoint;
  private final Instant createdAt = Instant.now();
  private final List<NeonOperation> creation = new ArrayList<>();
  private volatile boolean deleted;

  NeonBranch(NeonBranchRequest request, boolean isDefault, NeonLikeEndpoint endpoint) {
    this.id = newId();
    this.name = request.name() != null ? request.name() : "br-" + id.substring(3);
    this.parentId = request.parentId();
    this.parentTimestamp = request.parentTimestamp();
    this.parentLsn = request.parentLsn();
    this.expiresAt = request.expiresAt();
    this.endpointRequested = request.readWriteEndpoint();
    this.isDefault = isDefault;
    this.endpoint = endpoint;
  }

  /** {@code br-<adjective>-<noun>-<8 lowercase letters and digits>}. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "br-"
        + ADJECTIVES[random.nextInt(ADJECTIVES.length)]
        + "-"
        + NOUNS[random.nextInt(NOUNS.length)]
        + "-"
        + Randoms.lowercase(8);
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** The parent's id; null for the default branch {@code main}. */
  public String parentId() {
    return parentId;
  }

  /** The {@code parent_timestamp} the create call asked for (recorded only), or null. */
  public String requestedParentTimestamp() {
    return parentTimestamp;
  }

  /** The {@code expires_at} the create call set, or null. */
  public String expiresAt() {
    return expiresAt;
  }

  public boolean isDefault() {
    return isDefault;
  }

  public boolean deleted() {
    return deleted;
  }

  /**
   * The branch's compute: its host names, its connection log ({@code mark}/{@code trafficSince}).
   */
  public NeonLikeEndpoint endpoint() {
    return endpoint;
  }

  /** Where the branch's connection log stands now, for {@link #clientConnectionsSince}. */
  public NeonLikeEndpoint.Mark mark() {
    return endpoint.mark();
  }

  /**
   * The connections that clients opened to this branch's PostgreSQL since {@code mark} (TLS
   * protocol, user, database, application each): without the stand-in's own queries (application
   * {@code neon-api-stand-in}, for the databases and roles it lists) and without the replication
   * connections that copy it into child branches. The compute's first connection, at its start, is
   * counted: take the mark after the create call.
   */
  public List<NeonLikeEndpoint.ComputeConnection> clientConnectionsSince(
      NeonLikeEndpoint.Mark mark) {
    return endpoint.trafficSince(mark).compute().stream()
        .filter(c -> !OWN_APPLICATION.equals(c.applicationName()))
        .toList();
  }

  /**
   * The branch's PostgreSQL for JDBC and {@link PgTools}, as the superuser {@code neondb_owner}.
   */
  public PostgresServer server() {
    return endpoint.compute();
  }

  /**
   * {@code
   * postgresql://neondb_owner:<password>@ep-<id>.<region>.aws.neon.tech/<database>?sslmode=require},
   * what {@code GET /connection_uri} answers (no port: 5432).
   */
  public String connectionUri(String database) {
    return connectionUri(server().superuser(), database, false);
  }

  String connectionUri(String role, String database, boolean pooled) {
    return "postgresql://"
        + PostgresServer.percentEncode(role)
        + ":"
        + PostgresServer.percentEncode(server().password())
        + "@"
        + (pooled ? endpoint.pooledHost() : endpoint.directHost())
        + "/"
        + PostgresServer.percentEncode(database)
        + "?sslmode=require";
  }

  boolean endpointRequested() {
    return endpointRequested;
  }

  Instant createdAt() {
    return createdAt;
  }

  String parentLsn() {
    return parentLsn;
  }

  List<NeonOperation> creation() {
    return creation;
  }

  /** Ready once every operation of its creation is finished, as Neon's {@code current_state}. */
  boolean ready() {
    return creation.stream().allMatch(o -> o.status().equals("finished"));
  }

  void markDeleted() {
    deleted = true;
  }

  /** The login roles: {@code neondb_owner} and any the tests created. */
  List<String> roles() {
    return names(
        "SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname NOT LIKE 'pg\\_%'"
            + " ORDER BY rolname");
  }

  /** The databases a Neon user sees, each with its owner: all but templates and postgres. */
  List<Map<String, Object>> databases() {
    List<Map<String, Object>> databases = new ArrayList<>();
    try (Connection connection = ownConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT d.oid, d.datname, pg_get_userbyid(d.datdba) FROM pg_database d WHERE NOT"
                    + " d.datistemplate AND d.datname <> 'postgres' ORDER BY d.datname")) {
      while (rows.next()) {
        databases.add(
            Map.of(
                "id", rows.getLong(1), "name", rows.getString(2), "owner_name", rows.getString(3)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the databases of branch " + id, e);
    }
    return databases;
  }

  /**
   * Creates {@code database} owned by {@code owner} in this branch's PostgreSQL, as Neon's {@code
   * POST .../databases} does; 409 when it exists, 404 for an unknown role.
   */
  void createDatabase(String database, String owner) {
    if (databases().stream().anyMatch(d -> d.get("name").equals(database))) {
      throw new NeonApiError(409, "database already exists");
    }
    if (!roles().contains(owner)) {
      throw NeonApiError.notFound("role not found");
    }
    executeOwn(
        "CREATE DATABASE "
            + PostgresServer.quoteIdentifier(database)
            + " OWNER "
            + PostgresServer.quoteIdentifier(owner));
  }

  /** Drops {@code database}, as {@code DELETE .../databases/{name}}: false when there is none. */
  boolean dropDatabase(String database) {
    if (databases().stream().noneMatch(d -> d.get("name").equals(database))) {
      return false;
    }
    executeOwn("DROP DATABASE " + PostgresServer.quoteIdentifier(database) + " WITH (FORCE)");
    return true;
  }

  private void executeOwn(String sql) {
    try (Connection connection = ownConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on branch " + id + ": " + sql, e);
    }
  }

  /**
   * A connection of the stand-in's own, named in the startup packet (hence in the connection log)
   * so that {@link #clientConnectionsSince} can leave it out.
   */
  private Connection ownConnection() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", server().superuser());
    properties.setProperty("password", server().password());
    properties.setProperty("ApplicationName", OWN_APPLICATION);
    properties.setProperty("assumeMinServerVersion", "10"); // sends it at startup, not by SET
    properties.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + server().host() + ":" + server().port() + "/postgres", properties);
  }

  private List<String> names(String sql) {
    List<String> names = new ArrayList<>();
    try (Connection connection = ownConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read branch " + id + ": " + sql, e);
    }
    return names;
  }

  @Override
  public String toString() {
    return "branch " + name + " (" + id + ")" + (deleted ? ", deleted" : "");
  }
}
