package dev.neonbackup.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the manifest: one flat object whose values are strings, whole numbers,
 * booleans or null. Writing escapes per RFC 8259; reading accepts exactly that shape (and
 * whitespace anywhere), so a manifest from another tool fails loudly instead of half-parsing.
 */
public final class Json {
  private Json() {}

  static String write(Map<String, Object> fields) {
    StringBuilder out = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      out.append("  ").append(quote(field.getKey())).append(": ").append(value(field.getValue()));
      out.append(++i < fields.size() ? ",\n" : "\n");
    }
    return out.append("}\n").toString();
  }

  private static String value(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return quote(value.toString());
  }

  /** A JSON string literal for {@code text}. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  /** Parses a flat object; numbers come back as Long, the rest as String, Boolean or null. */
  static Map<String, Object> read(String text) {
    return new Reader(text).object();
  }

  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    Map<String, Object> object() {
      Map<String, Object> fields = new LinkedHashMap<>();
      expect('{');
      if (peek() == '}') {
        at++;
      } else {
        do {
          String key = string();
          expect(':');
          fields.put(key, value());
        } while (consume(','));
        expect('}');
      }
      skipSpace();
      if (at != text.length()) {
        throw error("text after the object");
      }
      return fields;
    }

    private Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (text.startsWith("true", at)) {
        at += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("false", at)) {
        at += 5;
        return Boolean.FALSE;
      }
      if (text.startsWith("null", at)) {
        at += 4;
        return null;
      }
      int start = at;
      if (c == '-') {
        at++;
      }
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
      if (at == start || (at == start + 1 && c == '-')) {
        throw error("a value");
      }
      return Long.parseLong(text.substring(start, at));
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (at >= text.length()) {
          break;
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'u':
            if (at + 4 > text.length()) {
              throw error("four hex digits");
            }
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
            break;
          default:
            out.append(escaped);
        }
      }
      throw error("the end of a string");
    }

    private char peek() {
      skipSpace();
      if (at >= text.length()) {
        throw error("more text");
      }
      return text.charAt(at);
    }

    private boolean consume(char c) {
      if (peek() == c) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!consume(c)) {
        throw error("'" + c + "'");
      }
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private IllegalArgumentException error(String expected) {
      return new IllegalArgumentException("not a manifest: expected " + expected + " at " + at);
    }
  }
}
