package dev.neonbackup.notify;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.failure.Inputs;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The URL rules of heartbeat-url and notify-webhook-url. Messages never echo a URL: it is a secret.
 */
final class PingUrls {
  private PingUrls() {}

  /** The URL of an input, if given; refused unless it is http or https with a host. */
  static Optional<String> checked(String value, String inputName) {
    Optional<String> given = Inputs.optional(value);
    given.ifPresent(url -> parse(url, inputName));
    return given;
  }

  private static URI parse(String url, String inputName) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused(inputName);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw refused(inputName);
    }
    return uri;
  }

  private static InputException refused(String inputName) {
    return new InputException(
        inputName
            + " must be an http or https URL with a host"
            + " (the value is not shown: it is a secret)");
  }

  /**
   * The URL with {@code suffix} ({@code /start}, {@code /fail} or nothing) added to its path, so
   * that a query such as healthchecks.io's {@code ?create=1} stays at the end.
   */
  static URI with(String url, String suffix) {
    URI uri = parse(url, "the URL");
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/") && !suffix.isEmpty()) {
      path = path.substring(0, path.length() - 1);
    }
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String authority = uri.getRawAuthority();
    return URI.create(uri.getScheme() + "://" + authority + path + suffix + query);
  }
}
