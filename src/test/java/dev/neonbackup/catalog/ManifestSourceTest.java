package dev.neonbackup.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.neon.SnapshotSource;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestSourceTest {
  private static final Instant AT = Instant.parse("2026-11-21T03:15:00Z");
  private static final SnapshotSource SOURCE =
      new SnapshotSource(
          "shiny-cloud-12345678", "br-main-1", "main", "br-tmp-2", "neon-backup-20261121T031500Z",
          Optional.of("0/1A2B3C"), Optional.of(AT), Optional.of("ep-cool-1.us-east-2.aws.neon.tech"));

  private static Manifest.Builder manifest() {
    return Manifest.builder().manifestVersion(1).toolVersion("t").database("neondb")
        .objectKey("neon-backups/neondb/neondb-20261121T031500Z.dump").serverVersion("17.5")
        .pgDumpVersion("17.6").compression("zstd:1").startedAt(AT).finishedAt(AT).sizeBytes(5)
        .sha256("ab".repeat(32)).verification("full").verificationResult("passed");
  }

  @Test
  void a_snapshot_source_goes_into_the_manifest_and_comes_back() {
    Manifest written = manifest().source(Optional.of(SOURCE)).build();
    String json = written.toJson();
    assertTrue(json.replaceAll("\\s", "").contains("\"neonSnapshot\":{\"projectId\":\"shiny-cloud-12345678\""), json);
    assertEquals(written, Manifest.read(json));
  }

  @Test
  void a_dump_of_a_connection_string_has_no_source() {
    Manifest written = manifest().build();
    assertTrue(!written.toJson().contains("neonSnapshot"));
    assertEquals(Optional.empty(), Manifest.read(written.toJson()).source());
  }

  @Test
  void only_the_ids_and_names_are_required() {
    SnapshotSource bare =
        new SnapshotSource("p", "br-a", "main", "br-b", "neon-backup-x", Optional.empty(), Optional.empty(), Optional.empty());
    assertEquals(Optional.of(bare), Manifest.read(manifest().source(Optional.of(bare)).build().toJson()).source());
  }

  @Test
  void a_malformed_source_makes_the_manifest_damaged_never_a_manifest_without_one() {
    String json = manifest().source(Optional.of(SOURCE)).build().toJson().replaceAll("\\s*\n\\s*", "").replace("\": ", "\":");
    for (String broken :
        new String[] {
          json.replace("\"projectId\":\"shiny-cloud-12345678\",", ""),
          json.replace("\"branchId\":\"br-tmp-2\"", "\"branchId\":7"),
          json.replace("\"parentTimestamp\":\"2026-11-21T03:15:00Z\"", "\"parentTimestamp\":\"yesterday\""),
          json.replaceFirst("\"neonSnapshot\":\\{[^}]*\\}", "\"neonSnapshot\":\"p\"")
        }) {
      assertTrue(Manifest.parse(broken).isEmpty(), broken);
    }
  }

  @Test
  void describes_where_the_dump_came_from() {
    assertEquals(
        "temporary branch neon-backup-20261121T031500Z (br-tmp-2) of main (br-main-1) in project"
            + " shiny-cloud-12345678, as of 2026-11-21T03:15:00Z, at LSN 0/1A2B3C",
        ManifestSource.describe(SOURCE));
  }
}
