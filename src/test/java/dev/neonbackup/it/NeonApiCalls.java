package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.neonbackup.testing.NeonApiStandIn;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Plain java.net.http calls on a {@link NeonApiStandIn}, as any Neon API client makes them. */
final class NeonApiCalls {
  private final HttpClient http = HttpClient.newHttpClient();
  private final NeonApiStandIn standIn;

  /** A status, the headers and the JSON object of one answer (empty when there is no body). */
  record Answer(int status, HttpResponse<String> response, Map<String, Object> json) {
    @SuppressWarnings("unchecked")
    Map<String, Object> object(String field) {
      return (Map<String, Object>) json.get(field);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String field) {
      return (List<Map<String, Object>>) json.get(field);
    }
  }

  NeonApiCalls(NeonApiStandIn standIn) {
    this.standIn = standIn;
  }

  HttpClient http() {
    return http;
  }

  void delete(String branchId) throws Exception {
    assertEquals(200, send("DELETE", "/branches/" + branchId, null, standIn.apiKey()).status());
  }

  List<String> names(Answer branches) {
    return branches.list("branches").stream().map(b -> (String) b.get("name")).toList();
  }

  Answer createBranch(String body) throws Exception {
    return send("POST", "/branches", body, standIn.apiKey());
  }

  Answer get(String path) throws Exception {
    return send("GET", path, null, standIn.apiKey());
  }

  /** {@code method} on {@code path} below the project, e.g. {@code /branches}. */
  Answer send(String method, String path, String body, String key) throws Exception {
    return answer(request(method, projectPath(path), body, key));
  }

  String projectPath(String path) {
    return "/projects/" + standIn.projectId() + path;
  }

  Answer answer(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Object> json =
        response.body().isEmpty() ? Map.of() : JSON.std.mapFrom(response.body());
    return new Answer(response.statusCode(), response, json);
  }

  /** A request for {@code path} below {@code /api/v2}. */
  HttpRequest.Builder request(String method, String path, String body, String key) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(standIn.apiUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(60));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return builder;
  }

  /**
   * A JDBC connection over the libpq URI Neon hands out: host, database, sslmode, user, password.
   */
  static Connection connect(String uri) throws SQLException {
    URI parsed = URI.create(uri);
    Properties properties = new Properties();
    String[] userInfo = parsed.getRawUserInfo().split(":", 2);
    properties.setProperty("user", URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8));
    properties.setProperty("password", URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8));
    properties.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + parsed.getHost() + parsed.getRawPath() + "?" + parsed.getRawQuery(),
        properties);
  }

  static String password(String uri) {
    String userInfo = URI.create(uri).getRawUserInfo();
    return URLDecoder.decode(userInfo.substring(userInfo.indexOf(':') + 1), StandardCharsets.UTF_8);
  }
}
