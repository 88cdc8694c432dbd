package dev.neonbackup.report;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces every known secret in a text with {@code ***}: the last line of defence for anything
 * that reaches stdout, stderr, an output file or an exception message.
 */
public final class Redactor {
  private static final Redactor NONE = new Redactor(List.of());

  private final List<String> needles;

  private Redactor(List<String> needles) {
    this.needles = needles;
  }

  public static Redactor none() {
    return NONE;
  }

  /** Redacts each secret as given and in the percent-encoded forms a URL may carry it in. */
  public static Redactor of(Collection<Secret> secrets) {
    Set<String> needles = new LinkedHashSet<>();
    for (Secret secret : secrets) {
      String raw = secret.reveal();
      if (raw.isEmpty()) {
        continue;
      }
      needles.add(raw);
      String formEncoded = URLEncoder.encode(raw, StandardCharsets.UTF_8);
      needles.add(formEncoded);
      needles.add(formEncoded.replace("+", "%20"));
    }
    List<String> ordered = new ArrayList<>(needles);
    ordered.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(ordered));
  }

  private static final java.util.regex.Pattern URI_PASSWORD =
      java.util.regex.Pattern.compile("(postgres(?:ql)?://[^:/@\\s]*:)[^@\\s]*@");
  private static final java.util.regex.Pattern KEYWORD_PASSWORD =
      java.util.regex.Pattern.compile("(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\\S+)");

  /**
   * Redacts passwords in any connection string inside {@code text}, known or not: for text that
   * did not come through settings, such as a command-line argument picocli could not place.
   */
  public static String redactConnectionStrings(String text) {
    String result = URI_PASSWORD.matcher(text).replaceAll("$1" + Secret.REDACTED + "@");
    return KEYWORD_PASSWORD.matcher(result).replaceAll("$1" + Secret.REDACTED);
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String needle : needles) {
      result = result.replace(needle, Secret.REDACTED);
    }
    return result;
  }
}
