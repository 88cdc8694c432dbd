package dev.neonbackup.postgres;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.util.LinkedHashMap;
import java.util.Map;

/** libpq's keyword syntax: key = value pairs, values optionally single-quoted. */
final class ConnectionKeywordParser {
  private final String text;
  private final String inputName;
  private int position;

  ConnectionKeywordParser(String text, String inputName) {
    this.text = text;
    this.inputName = inputName;
  }

  ConnectionString parse() {
    Map<String, String> parameters = new LinkedHashMap<>();
    Map<String, Secret> secrets = new LinkedHashMap<>();
    while (skipSpaces()) {
      String keyword = keyword();
      String value = value();
      if (ConnectionString.SECRET_KEYWORDS.contains(keyword)) {
        secrets.put(keyword, Secret.of(value));
      } else {
        parameters.put(keyword, value);
      }
    }
    return ConnectionString.of(false, parameters, secrets, inputName);
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
