package dev.neonbackup.neon;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Neon API's JSON, read into the records and written from a {@link BranchRequest}. */
final class NeonJson {
  private NeonJson() {}

  /** The body of a branch creation, as the OpenAPI description's BranchCreateRequest has it. */
  static String createBody(BranchRequest request) {
    Map<String, Object> branch = new LinkedHashMap<>();
    request.parentId().ifPresent(id -> branch.put("parent_id", id));
    request
        .parentTimestamp()
        .ifPresent(at -> branch.put("parent_timestamp", BranchNames.rfc3339(at)));
    branch.put("name", request.name());
    request.expiresAt().ifPresent(at -> branch.put("expires_at", BranchNames.rfc3339(at)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("endpoints", List.of(Map.of("type", "read_write")));
    body.put("branch", branch);
    try {
      return JSON.std.asString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of a database creation, as the OpenAPI description's DatabaseCreateRequest has it. */
  static String databaseBody(String name, String owner) {
    Map<String, Object> database = new LinkedHashMap<>();
    database.put("name", name);
    database.put("owner_name", owner);
    try {
      return JSON.std.asString(Map.of("database", database));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An answer's body; an empty or unreadable one is an empty object. */
  static Map<String, Object> read(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try {
      Object value = JSON.std.anyFrom(text);
      @SuppressWarnings("unchecked")
      Map<String, Object> map = value instanceof Map ? (Map<String, Object>) value : Map.of();
      return map;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  static Branch branch(Map<String, Object> json) {
    return new Branch(
        text(json, "id"),
        text(json, "name"),
        optional(json, "parent_id"),
        optional(json, "parent_lsn"),
        instant(json, "parent_timestamp"),
        Boolean.TRUE.equals(json.get("default")),
        Boolean.TRUE.equals(json.get("protected")),
        optional(json, "current_state").orElse(""),
        instant(json, "created_at"),
        instant(json, "expires_at"));
  }

  static Endpoint endpoint(Map<String, Object> json) {
    return new Endpoint(text(json, "id"), text(json, "host"), text(json, "type"));
  }

  static Operation operation(Map<String, Object> json) {
    return new Operation(
        text(json, "id"), text(json, "action"), text(json, "status"), optional(json, "error"));
  }

  static Database database(Map<String, Object> json) {
    return new Database(text(json, "name"), text(json, "owner_name"));
  }

  static Role role(Map<String, Object> json) {
    return new Role(text(json, "name"), Boolean.TRUE.equals(json.get("protected")));
  }

  static CreatedBranch created(Map<String, Object> json) {
    return new CreatedBranch(
        branch(object(json, "branch")),
        list(json, "endpoints").stream().map(NeonJson::endpoint).toList(),
        list(json, "operations").stream().map(NeonJson::operation).toList(),
        false);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> json, String field) {
    Object value = json.get(field);
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  /** The objects of an array field; a missing field is an empty list. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> json, String field) {
    List<Map<String, Object>> objects = new ArrayList<>();
    if (json.get(field) instanceof List<?> values) {
      values.stream()
          .filter(Map.class::isInstance)
          .forEach(v -> objects.add((Map<String, Object>) v));
    }
    return objects;
  }

  static String text(Map<String, Object> json, String field) {
    return optional(json, field).orElse("");
  }

  static Optional<String> optional(Map<String, Object> json, String field) {
    Object value = json.get(field);
    return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
  }

  private static Optional<Instant> instant(Map<String, Object> json, String field) {
    try {
      return optional(json, field).filter(s -> !s.isBlank()).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
