package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A libpq connection string, parsed the way libpq parses it (URI or key=value form), with the
 * parameters that hold a secret ({@link #SECRET_KEYWORDS}) held apart as {@link Secret}s.
 * Parameters are kept as libpq keywords, decoded, in the order given, so they can be handed to
 * libpq unchanged through a service file.
 */
public final class ConnectionString {
  private static final String[] URI_PREFIXES = {"postgresql://", "postgres://"};
  private static final String PASSWORD = "password";

  /**
   * The libpq parameters whose value is a secret: the password and the passphrase of the client
   * key. ({@code sslkey} and {@code sslcert} name files, never inline contents.)
   */
  public static final Set<String> SECRET_KEYWORDS = Set.of(PASSWORD, "sslpassword");

  private final boolean uriForm;
  private final Map<String, String> parameters;
  private final Map<String, Secret> secrets;
  private final String inputName;
  private final boolean verifyTls;

  private ConnectionString(
      boolean uriForm,
      Map<String, String> parameters,
      Map<String, Secret> secrets,
      String inputName,
      boolean verifyTls) {
    this.uriForm = uriForm;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    this.inputName = inputName;
    this.verifyTls = verifyTls;
  }

  static ConnectionString of(
      boolean uriForm,
      Map<String, String> parameters,
      Map<String, Secret> secrets,
      String inputName) {
    parameters.keySet().forEach(keyword -> checkKeyword(keyword, inputName));
    return new ConnectionString(uriForm, parameters, secrets, inputName, true);
  }

  /**
   * Whether a Neon host's certificate is verified when a client uses this connection (the
   * verify-tls input; true unless turned off). {@link NeonRules#tls} applies it per client.
   */
  public boolean verifyTls() {
    return verifyTls;
  }

  /**
   * This connection, if every attempt reaches the same server: with {@code
   * load_balance_hosts=random} two connections of one run may land on different hosts, so a
   * database the tool writes into (after asking the servers whether it is the source) refuses it.
   */
  public ConnectionString requireOneServer() {
    if (parameter("load_balance_hosts").filter("random"::equalsIgnoreCase).isPresent()) {
      throw new InputException(
          inputName
              + ": load_balance_hosts=random is refused here: the check that this is not the"
              + " database being backed up and the restore could reach different servers");
    }
    return this;
  }

  public ConnectionString withVerifyTls(boolean verify) {
    return new ConnectionString(uriForm, parameters, secrets, inputName, verify);
  }

  /**
   * libpq's keywords are lower case; one it does not know (say {@code PASSWORD}) is refused here,
   * before anything could show its value as an ordinary parameter.
   */
  private static void checkKeyword(String keyword, String inputName) {
    if (!keyword.matches("[a-z_]+")) {
      throw new InputException(
          inputName
              + " has a parameter libpq does not know"
              + (keyword.matches("[A-Za-z_]{1,40}") ? " ('" + keyword + "')" : "")
              + ": connection keywords are lower case, such as sslmode or password");
    }
  }

  /** The input this connection string came from, e.g. database-url: messages name it. */
  public String inputName() {
    return inputName;
  }

  /**
   * Parses {@code text}; {@code inputName} is the input it came from, for error messages. Error
   * messages never quote the text, which holds the password.
   */
  public static ConnectionString parse(String text, String inputName) {
    String trimmed = text.strip();
    for (String prefix : URI_PREFIXES) {
      if (trimmed.startsWith(prefix)) {
        return new ConnectionUriParser(trimmed.substring(prefix.length()), inputName).parse();
      }
    }
    if (trimmed.contains("=")) {
      return new ConnectionKeywordParser(trimmed, inputName).parse();
    }
    throw new InputException(
        inputName
            + " is not a connection string: expected a postgresql:// URI such as"
            + " postgresql://user:password@host/dbname?sslmode=require, or key=value pairs");
  }

  /** Every parameter except those holding a secret, as libpq keywords. */
  public Map<String, String> parameters() {
    return parameters;
  }

  public Optional<String> parameter(String keyword) {
    return Optional.ofNullable(parameters.get(keyword));
  }

  public Optional<Secret> password() {
    return Optional.ofNullable(secrets.get(PASSWORD));
  }

  /** The parameters that hold a secret, by libpq keyword, in the order given. */
  public Map<String, Secret> secretParameters() {
    return secrets;
  }

  /** Every secret this connection string holds, for masking. */
  public List<Secret> secrets() {
    return List.copyOf(secrets.values());
  }

  /** The database libpq connects to: {@code dbname}, or else the user name, as libpq defaults. */
  public Optional<String> database() {
    return parameter("dbname").or(() -> parameter("user"));
  }

  public ConnectionString withParameter(String keyword, String value) {
    Map<String, String> changed = new LinkedHashMap<>(parameters);
    changed.put(keyword, value);
    return new ConnectionString(uriForm, changed, secrets, inputName, verifyTls);
  }

  public ConnectionString withDatabase(String database) {
    return withParameter("dbname", database);
  }

  public ConnectionString withPassword(Secret newPassword) {
    Map<String, Secret> changed = new LinkedHashMap<>(secrets);
    changed.put(PASSWORD, newPassword);
    return new ConnectionString(uriForm, parameters, changed, inputName, verifyTls);
  }

  /** The connection string with every secret replaced by {@code ***}: safe to print. */
  public String redacted() {
    return uriForm ? redactedUri() : redactedKeywords();
  }

  @Override
  public String toString() {
    return redacted();
  }

  private String redactedUri() {
    StringBuilder out = new StringBuilder("postgresql://");
    Map<String, String> rest = new LinkedHashMap<>(parameters);
    String user = rest.remove("user");
    boolean password = secrets.containsKey(PASSWORD);
    if (user != null || password) {
      out.append(user == null ? "" : user);
      if (password) {
        out.append(':').append(Secret.REDACTED);
      }
      out.append('@');
    }
    String hosts = rest.remove("host");
    String ports = rest.remove("port");
    out.append(hostSpec(hosts, ports));
    String dbname = rest.remove("dbname");
    if (dbname != null) {
      out.append('/').append(dbname);
    }
    String separator = "?";
    for (Map.Entry<String, String> entry : rest.entrySet()) {
      out.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
      separator = "&";
    }
    for (String keyword : secrets.keySet()) {
      if (!keyword.equals(PASSWORD)) {
        out.append(separator).append(keyword).append('=').append(Secret.REDACTED);
        separator = "&";
      }
    }
    return out.toString();
  }

  private static String hostSpec(String hosts, String ports) {
    if (hosts == null && ports == null) {
      return "";
    }
    String[] hostList = hosts == null ? new String[] {""} : hosts.split(",", -1);
    String[] portList = ports == null ? new String[0] : ports.split(",", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.max(hostList.length, portList.length); i++) {
      if (i > 0) {
        out.append(',');
      }
      String host = i < hostList.length ? hostList[i] : "";
      out.append(host.contains(":") ? "[" + host + "]" : host);
      String port = portList.length == 1 ? portList[0] : i < portList.length ? portList[i] : "";
      if (!port.isEmpty()) {
        out.append(':').append(port);
      }
    }
    return out.toString();
  }

  private String redactedKeywords() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> entry : parameters.entrySet()) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(entry.getKey()).append('=').append(quoteKeywordValue(entry.getValue()));
    }
    for (String keyword : secrets.keySet()) {
      out.append(out.length() > 0 ? " " : "").append(keyword).append('=').append(Secret.REDACTED);
    }
    return out.toString();
  }

  private static String quoteKeywordValue(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\')) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
