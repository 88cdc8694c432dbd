package dev.neonbackup.neon;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The paths of the Neon API, with every id and name percent-encoded. */
final class NeonPaths {
  private NeonPaths() {}

  static String projectPath(String projectId) {
    return "/projects/" + encode(projectId);
  }

  static String branchPath(String projectId, String branchId) {
    return projectPath(projectId) + "/branches/" + encode(branchId);
  }

  /**
   * One path segment or query value, percent-encoded (a space is %20, never +); {@code .} and
   * {@code ..} too, which a URL would otherwise resolve as steps of the path.
   */
  static String encode(String value) {
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }
}
