package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A libpq connection string, parsed the way libpq parses it (URI or key=value form), with the
 * password held apart as a {@link Secret}. Parameters are kept as libpq keywords, decoded, in the
 * order given, so they can be handed to libpq unchanged through a service file.
 */
public final class ConnectionString {
  private static final String[] URI_PREFIXES = {"postgresql://", "postgres://"};

  private final boolean uriForm;
  private final Map<String, String> parameters;
  private final Secret password;

  private ConnectionString(boolean uriForm, Map<String, String> parameters, Secret password) {
    this.uriForm = uriForm;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.password = password;
  }

  /**
   * Parses {@code text}; {@code inputName} is the input it came from, for error messages. Error
   * messages never quote the text, which holds the password.
   */
  public static ConnectionString parse(String text, String inputName) {
    String trimmed = text.strip();
    for (String prefix : URI_PREFIXES) {
      if (trimmed.startsWith(prefix)) {
        return new UriParser(trimmed.substring(prefix.length()), inputName).parse();
      }
    }
    if (trimmed.contains("=")) {
      return new KeywordParser(trimmed, inputName).parse();
    }
    throw new InputException(
        inputName
            + " is not a connection string: expected a postgresql:// URI such as"
            + " postgresql://user:password@host/dbname?sslmode=require, or key=value pairs");
  }

  /** Every parameter except the password, as libpq keywords. */
  public Map<String, String> parameters() {
    return parameters;
  }

  public Optional<String> parameter(String keyword) {
    return Optional.ofNullable(parameters.get(keyword));
  }

  public Optional<Secret> password() {
    return Optional.ofNullable(password);
  }

  /** The database libpq connects to: {@code dbname}, or else the user name, as libpq defaults. */
  public Optional<String> database() {
    return parameter("dbname").or(() -> parameter("user"));
  }

  public ConnectionString withParameter(String keyword, String value) {
    Map<String, String> changed = new LinkedHashMap<>(parameters);
    changed.put(keyword, value);
    return new ConnectionString(uriForm, changed, password);
  }

  public ConnectionString withDatabase(String database) {
    return withParameter("dbname", database);
  }

  public ConnectionString withPassword(Secret newPassword) {
    return new ConnectionString(uriForm, parameters, newPassword);
  }

  /** The connection string with the password replaced by {@code ***}: safe to print. */
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
    if (user != null || password != null) {
      out.append(user == null ? "" : user);
      if (password != null) {
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
    if (password != null) {
      out.append(out.length() > 0 ? " " : "").append("password=").append(Secret.REDACTED);
    }
    return out.toString();
  }

  private static String quoteKeywordValue(String value) {
    if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\')) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** libpq's URI syntax: [user[:password]@][host[:port][,...]][/dbname][?param=value&...]. */
  private static final class UriParser {
    private final String rest;
    private final String inputName;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private Secret password;

    UriParser(String rest, String inputName) {
      this.rest = rest;
      this.inputName = inputName;
    }

    ConnectionString parse() {
      int end = indexOfAny(rest, "/?", 0);
      int at = rest.indexOf('@');
      int hostStart = 0;
      int slash = rest.indexOf('/');
      if (at >= 0 && (slash < 0 || at < slash)) {
        parseUserInfo(rest.substring(0, at));
        hostStart = at + 1;
        end = indexOfAny(rest, "/?", hostStart);
      }
      parseHosts(rest.substring(hostStart, end));
      if (end < rest.length() && rest.charAt(end) == '/') {
        int query = rest.indexOf('?', end);
        String dbname = decode(rest.substring(end + 1, query < 0 ? rest.length() : query));
        if (!dbname.isEmpty()) {
          parameters.put("dbname", dbname);
        }
        end = query < 0 ? rest.length() : query;
      }
      if (end < rest.length()) {
        parseQuery(rest.substring(end + 1));
      }
      return new ConnectionString(true, parameters, password);
    }

    private void parseUserInfo(String userInfo) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (!user.isEmpty()) {
        parameters.put("user", user);
      }
      if (colon >= 0) {
        String pass = decode(userInfo.substring(colon + 1));
        if (!pass.isEmpty()) {
          password = Secret.of(pass);
        }
      }
    }

    private void parseHosts(String hostSpec) {
      if (hostSpec.isEmpty()) {
        return;
      }
      StringBuilder hosts = new StringBuilder();
      StringBuilder ports = new StringBuilder();
      boolean anyPort = false;
      String[] entries = hostSpec.split(",", -1);
      for (int i = 0; i < entries.length; i++) {
        String entry = entries[i];
        String host;
        String port = "";
        if (entry.startsWith("[")) {
          int close = entry.indexOf(']');
          if (close < 0) {
            throw new InputException(inputName + " has an IPv6 host without its closing ']'");
          }
          host = entry.substring(1, close);
          String after = entry.substring(close + 1);
          if (!after.isEmpty()) {
            if (!after.startsWith(":")) {
              throw new InputException(inputName + " has unexpected text after an IPv6 host");
            }
            port = after.substring(1);
          }
        } else {
          int colon = entry.lastIndexOf(':');
          host = colon < 0 ? entry : entry.substring(0, colon);
          port = colon < 0 ? "" : entry.substring(colon + 1);
        }
        if (!port.isEmpty() && !port.chars().allMatch(Character::isDigit)) {
          throw new InputException(inputName + " has a port that is not a number");
        }
        anyPort |= !port.isEmpty();
        hosts.append(i > 0 ? "," : "").append(decode(host));
        ports.append(i > 0 ? "," : "").append(port);
      }
      if (hosts.chars().anyMatch(c -> c != ',')) {
        parameters.put("host", hosts.toString());
      }
      if (anyPort) {
        parameters.put("port", ports.toString());
      }
    }

    private void parseQuery(String query) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw new InputException(
              inputName + " has a query parameter without a value: expected key=value after '?'");
        }
        String keyword = decode(pair.substring(0, equals));
        String value = decode(pair.substring(equals + 1));
        if (keyword.equals("ssl") && value.equals("true")) {
          keyword = "sslmode"; // libpq's own translation of the JDBC-style parameter
          value = "require";
        }
        if (keyword.equals("password")) {
          password = Secret.of(value);
        } else {
          parameters.put(keyword, value);
        }
      }
    }

    private String decode(String text) {
      if (text.indexOf('%') < 0) {
        return text;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int i = 0;
      while (i < text.length()) {
        int percent = text.indexOf('%', i);
        int runEnd = percent < 0 ? text.length() : percent;
        bytes.writeBytes(text.substring(i, runEnd).getBytes(StandardCharsets.UTF_8));
        if (percent < 0) {
          break;
        }
        if (percent + 2 >= text.length()
            || !isHexDigit(text.charAt(percent + 1))
            || !isHexDigit(text.charAt(percent + 2))) {
          throw new InputException(
              inputName
                  + " has an invalid percent-encoding: '%' must be followed by two hex digits"
                  + " (write a literal % in a password as %25)");
        }
        bytes.write(Integer.parseInt(text.substring(percent + 1, percent + 3), 16));
        i = percent + 3;
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHexDigit(char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int indexOfAny(String text, String chars, int from) {
      for (int i = from; i < text.length(); i++) {
        if (chars.indexOf(text.charAt(i)) >= 0) {
          return i;
        }
      }
      return text.length();
    }
  }

  /** libpq's keyword syntax: key = value pairs, values optionally single-quoted. */
  private static final class KeywordParser {
    private final String text;
    private final String inputName;
    private int position;

    KeywordParser(String text, String inputName) {
      this.text = text;
      this.inputName = inputName;
    }

    ConnectionString parse() {
      Map<String, String> parameters = new LinkedHashMap<>();
      Secret password = null;
      while (skipSpaces()) {
        String keyword = keyword();
        String value = value();
        if (keyword.equals("password")) {
          password = Secret.of(value);
        } else {
          parameters.put(keyword, value);
        }
      }
      return new ConnectionString(false, parameters, password);
    }

    private boolean skipSpaces() {
      while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
        position++;
      }
      return position < text.length();
    }

    private String keyword() {
      int start = position;
      while (position < text.length()
          && text.charAt(position) != '='
          && !Character.isWhitespace(text.charAt(position))) {
        position++;
      }
      String keyword = text.substring(start, position);
      skipSpaces();
      if (keyword.isEmpty() || position >= text.length() || text.charAt(position) != '=') {
        throw new InputException(
            inputName + " is not a valid key=value connection string: a keyword lacks '='");
      }
      position++;
      skipSpaces();
      return keyword;
    }

    private String value() {
      StringBuilder value = new StringBuilder();
      boolean quoted = position < text.length() && text.charAt(position) == '\'';
      if (quoted) {
        position++;
      }
      while (position < text.length()) {
        char c = text.charAt(position);
        if (quoted ? c == '\'' : Character.isWhitespace(c)) {
          break;
        }
        if (c == '\\' && position + 1 < text.length()) {
          position++;
          c = text.charAt(position);
        }
        value.append(c);
        position++;
      }
      if (quoted) {
        if (position >= text.length()) {
          throw new InputException(
              inputName + " is not a valid key=value connection string: a quote is not closed");
        }
        position++;
      }
      return value.toString();
    }
  }
}
