package dev.neonbackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {
  // Written by Manifest.toJson() before the manifest was written with jackson-jr: buckets hold
  // manifests like this one, and they must stay readable.
  private static final String WRITTEN_BEFORE =
      """
      {
        "manifestVersion": 1,
        "tool": "neon-backup-action",
        "toolVersion": "0.1.0",
        "database": "neondb",
        "objectKey": "neon-backups/neondb/neondb-20261121T031500Z.dump",
        "serverVersion": "17.5 (Debian 17.5-1.pgdg120+1)",
        "pgDumpVersion": "17.6",
        "compression": "default",
        "startedAt": "2026-11-21T03:15:00Z",
        "finishedAt": "2026-11-21T03:15:42.125Z",
        "sizeBytes": 1234567,
        "sha256": "abababababababababababababababababababababababababababababababab",
        "verification": "full",
        "verificationResult": "passed"
      }
      """;

  private static final Manifest BEFORE = writtenBefore().build();

  /** A builder holding the fields of {@link #WRITTEN_BEFORE}. */
  private static Manifest.Builder writtenBefore() {
    return Manifest.builder()
        .manifestVersion(1)
        .toolVersion("0.1.0")
        .database("neondb")
        .objectKey("neon-backups/neondb/neondb-20261121T031500Z.dump")
        .serverVersion("17.5 (Debian 17.5-1.pgdg120+1)")
        .pgDumpVersion("17.6")
        .compression("default")
        .startedAt(Instant.parse("2026-11-21T03:15:00Z"))
        .finishedAt(Instant.parse("2026-11-21T03:15:42.125Z"))
        .sizeBytes(1234567)
        .sha256("ab".repeat(32))
        .verification("full")
        .verificationResult("passed");
  }

  @Test
  void reads_a_manifest_as_the_earlier_version_wrote_it() {
    assertEquals(Optional.of(BEFORE), Manifest.parse(WRITTEN_BEFORE));
  }

  @Test
  void writes_the_same_text_as_the_earlier_version() {
    assertEquals(WRITTEN_BEFORE, BEFORE.toJson());
  }

  @Test
  void round_trips_any_text_large_sizes_and_fractions_of_a_second() {
    Manifest manifest =
        writtenBefore()
            .manifestVersion(Manifest.CURRENT_VERSION)
            .database("my \"db\" \\ caf\u00e9 \uD83D\uDC18\n\t\u0001")
            .compression("zstd:3")
            .startedAt(Instant.parse("2026-11-21T03:15:00.123456789Z"))
            .sizeBytes(5_000_000_000_000L)
            .verification("none")
            .verificationResult("skipped")
            .build();
    assertEquals(Optional.of(manifest), Manifest.parse(manifest.toJson()));
  }

  @Test
  void passes_over_fields_it_does_not_know() throws IOException {
    Map<String, Object> fields = fieldsWrittenBefore();
    fields.put("comment", List.of("a later version may add fields"));
    assertEquals(Optional.of(BEFORE), Manifest.parse(JSON.std.asString(fields)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}",
        "{}",
        "{\"tool\": \"pg-backup\", \"manifestVersion\": 1}",
        "{\"tool\": null}"
      })
  void reads_nothing_from_another_tools_json(String json) {
    assertEquals(Optional.empty(), Manifest.parse(json));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "not json",
        "null",
        "\"neon-backup-action\"",
        "[]",
        "[{\"tool\": \"neon-backup-action\"}]",
        "{",
        "{\"tool\": \"neon-backup-action\",}"
      })
  void reads_nothing_from_garbage(String text) {
    assertEquals(Optional.empty(), Manifest.parse(text));
  }

  @Test
  void reads_nothing_from_a_cut_manifest_or_one_with_more_after_it() {
    assertEquals(Optional.empty(), Manifest.parse(WRITTEN_BEFORE.substring(0, 200)));
    assertEquals(Optional.empty(), Manifest.parse(WRITTEN_BEFORE + "x"));
    assertEquals(Optional.empty(), Manifest.parse(WRITTEN_BEFORE + "{}"));
  }

  @Test
  void reads_nothing_from_a_manifest_with_a_field_twice() {
    String twice = WRITTEN_BEFORE.replace("{\n", "{\n  \"sizeBytes\": 1,\n");
    assertEquals(Optional.empty(), Manifest.parse(twice));
  }

  static Stream<String> fieldNames() throws IOException {
    return fieldsWrittenBefore().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("fieldNames")
  void reads_nothing_from_a_manifest_missing_a_field(String name) throws IOException {
    Map<String, Object> fields = fieldsWrittenBefore();
    fields.remove(name);
    assertEquals(Optional.empty(), Manifest.parse(JSON.std.asString(fields)));
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of("manifestVersion", "1"),
        Arguments.of("manifestVersion", 1.5),
        Arguments.of("manifestVersion", 5_000_000_000L),
        Arguments.of("toolVersion", 1),
        Arguments.of("database", null),
        Arguments.of("database", List.of("neondb")),
        Arguments.of("objectKey", Map.of("key", "x")),
        Arguments.of("serverVersion", 17),
        Arguments.of("pgDumpVersion", 17.6),
        Arguments.of("compression", false),
        Arguments.of("startedAt", 1795230900),
        Arguments.of("startedAt", "yesterday"),
        Arguments.of("finishedAt", "2026-11-21 03:15:42"),
        Arguments.of("sizeBytes", "1234567"),
        Arguments.of("sizeBytes", 1234567.5),
        Arguments.of("sizeBytes", new BigInteger("99999999999999999999")),
        Arguments.of("sha256", null),
        Arguments.of("verification", true),
        Arguments.of("verificationResult", List.of()));
  }

  @ParameterizedTest
  @MethodSource("wrongTypes")
  void reads_nothing_from_a_manifest_with_a_field_of_the_wrong_type(String name, Object value)
      throws IOException {
    Map<String, Object> fields = fieldsWrittenBefore();
    fields.put(name, value);
    String json = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES).asString(fields);
    assertEquals(Optional.empty(), Manifest.parse(json), json);
  }

  @Test
  void the_builder_refuses_a_manifest_with_a_field_left_out() {
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> writtenBefore().serverVersion(null).build());
    assertEquals("a manifest needs serverVersion", missing.getMessage());
    assertThrows(
        IllegalStateException.class, () -> Manifest.builder().toolVersion("0.1.0").build());
  }

  private static final ManifestEncryption AGE =
      new ManifestEncryption(
          List.of("age1first", "age1second"), "cd".repeat(32), 5_000_000_000L);

  @Test
  void an_encrypted_archives_manifest_round_trips_and_a_reader_without_it_still_reads_the_rest()
      throws IOException {
    Manifest encrypted =
        writtenBefore()
            .objectKey("neon-backups/neondb/neondb-20261121T031500Z.dump.age")
            .encryption(Optional.of(AGE))
            .build();
    String json = encrypted.toJson();
    assertTrue(json.contains("\"encryption\": \"age\""), json);
    assertEquals(Optional.of(encrypted), Manifest.parse(json));
    assertTrue(encrypted.encrypted());
    assertEquals(Manifest.CURRENT_VERSION, encrypted.manifestVersion(), "only new fields: version 1");
    assertFalse(BEFORE.encrypted());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "encryption=gpg",
        "encryption=",
        "recipients=",
        "recipients=ssh-ed25519 AAAA",
        "plaintextSha256=",
        "plaintextSha256=CDCD",
        "plaintextSizeBytes=-1",
        "plaintextSizeBytes=many"
      })
  void a_manifest_whose_encryption_is_damaged_is_unreadable_never_read_as_in_the_clear(String change)
      throws IOException {
    Map<String, Object> fields =
        new LinkedHashMap<>(
            JSON.std.mapFrom(writtenBefore().encryption(Optional.of(AGE)).build().toJson()));
    String name = change.substring(0, change.indexOf('='));
    String value = change.substring(change.indexOf('=') + 1);
    Object replacement =
        switch (name) {
          case "recipients" -> value.isEmpty() ? List.of() : List.of(value);
          case "plaintextSizeBytes" -> value.equals("-1") ? (Object) (-1) : value;
          default -> value;
        };
    fields.put(name, replacement);
    assertEquals(Optional.empty(), Manifest.parse(JSON.std.asString(fields)), change);
    if (!name.equals("encryption")) { // without it, the key's .age makes it damage: see below
      fields.remove(name);
      assertEquals(Optional.empty(), Manifest.parse(JSON.std.asString(fields)), "without " + name);
    }
  }

  @Test
  void a_manifest_and_a_key_that_disagree_on_encryption_are_damage() {
    String plainKey = "neon-backups/neondb/neondb-20261121T031500Z.dump";
    String ageKey = plainKey + ".age";
    Manifest inClear = writtenBefore().objectKey(ageKey).build();
    ManifestCheck check = ManifestCheck.check(inClear.toJson(), ageKey, 1234567, Optional.of("neondb"));
    assertTrue(check.isDamaged(), check.toString());
    assertTrue(check.damage().get().contains("names no encryption"), check.toString());
    Manifest encrypted = writtenBefore().encryption(Optional.of(AGE)).build();
    ManifestCheck other = ManifestCheck.check(encrypted.toJson(), plainKey, 1234567, Optional.of("neondb"));
    assertTrue(other.isDamaged(), other.toString());
    assertTrue(
        ManifestCheck.check(
                writtenBefore().objectKey(ageKey).encryption(Optional.of(AGE)).build().toJson(),
                ageKey, 1234567, Optional.of("neondb"))
            .matches());
  }

  @Test
  void the_bytes_received_round_trip_and_are_written_only_when_known() {
    Manifest counted = writtenBefore().receivedBytes(OptionalLong.of(5_000_000_000L)).build();
    String json = counted.toJson();
    assertTrue(json.contains("\"receivedBytes\": 5000000000"), json);
    assertEquals(Optional.of(counted), Manifest.parse(json));
    assertEquals(OptionalLong.of(0), Manifest.read(writtenBefore().receivedBytes(OptionalLong.of(0)).build().toJson()).receivedBytes());
    assertFalse(BEFORE.toJson().contains("receivedBytes"), "unknown: not written");
    assertEquals(OptionalLong.empty(), Manifest.read(WRITTEN_BEFORE).receivedBytes(), "older manifests: unknown");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"12\"", "-1", "1.5", "null", "[]", "99999999999999999999"})
  void a_malformed_received_bytes_makes_the_manifest_damaged(String value) {
    String json = WRITTEN_BEFORE.replace("\"sizeBytes\"", "\"receivedBytes\": " + value + ",\n  \"sizeBytes\"");
    assertEquals(Optional.empty(), Manifest.parse(json), value);
    String key = "neon-backups/neondb/neondb-20261121T031500Z.dump";
    assertTrue(ManifestCheck.check(json, key, 1234567, Optional.of("neondb")).isDamaged(), value);
  }

  private static Map<String, Object> fieldsWrittenBefore() throws IOException {
    return new LinkedHashMap<>(JSON.std.mapFrom(WRITTEN_BEFORE));
  }
}
