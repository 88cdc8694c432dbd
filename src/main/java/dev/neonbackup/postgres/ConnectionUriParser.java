package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** libpq's URI syntax: [user[:password]@][host[:port][,...]][/dbname][?param=value&...]. */
final class ConnectionUriParser {
  private final String rest;
  private final String inputName;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final Map<String, Secret> secrets = new LinkedHashMap<>();

  ConnectionUriParser(String rest, String inputName) {
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
    return ConnectionString.of(true, parameters, secrets, inputName);
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
        secrets.put("password", Secret.of(pass));
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
      if (ConnectionString.SECRET_KEYWORDS.contains(keyword)) {
        secrets.put(keyword, Secret.of(value));
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
