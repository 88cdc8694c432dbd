package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.postgres.ArchiveHeader;
import dev.neonbackup.postgres.PgClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A backup run exactly as the Action runs it, then a restore of what it stored. */
class BackupRoundTripIT {
  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    source = postgres.uniqueDatabaseName("shop");
    postgres.createDatabase(source);
    postgres.execute(source, SampleData.VARIED);
  }

  @Test
  void backs_up_through_action_inputs_and_restores_equal_data() throws Exception {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .input("s3-prefix", "")
            .input("compression", "")
            .input("pg-dump-options", "")
            .env("GITHUB_ACTIONS", "true")
            .run();
    assertEquals(0, run.exitCode(), run::describe);

    Map<String, String> outputs = run.outputs();
    String key = outputs.get("object-key");
    assertTrue(
        key.matches("neon-backups/" + source + "/" + source + "-\\d{8}T\\d{6}Z\\.dump"),
        () -> "unexpected key " + key + "\n" + run.describe());
    assertEquals("s3://" + bucket + "/" + key, outputs.get("object-url"));
    assertEquals(
        List.of(key, key + ".json"), s3.keys(bucket, ""), "the archive and its manifest, nothing else");
    assertEquals(key + ".json", outputs.get("manifest-key"));
    assertEquals("full: passed", outputs.get("verification"));

    byte[] stored = s3.getObject(bucket, key);
    assertEquals(String.valueOf(stored.length), outputs.get("size-bytes"));
    assertEquals(sha256(stored), outputs.get("sha256"));
    ArchiveHeader header = ArchiveHeader.parse(stored).orElseThrow();
    assertEquals(outputs.get("pg-dump-version"), header.pgDumpVersion().split(" ")[0]);
    assertEquals(outputs.get("server-version"), header.serverVersion());
    assertEquals(source, header.database());
    // compression was given blank, as the runner passes an input not given: auto, which is gzip
    // level 1 before pg_dump 16 (this machine's pg_dump 15) and zstd:1 from 16 on.
    boolean zstd = PgClients.majorOf(outputs.get("pg-dump-version")) >= 16;
    assertEquals(zstd ? "zstd" : "gzip:1", header.compression(), "the archive's own header");
    String manifestJson = new String(s3.getObject(bucket, key + ".json"), StandardCharsets.UTF_8);
    assertEquals(zstd ? "zstd:1" : "1", Manifest.read(manifestJson).compression(), manifestJson);
    assertTrue(outputs.get("pg-dump-version").matches("\\d+\\.\\d+"), outputs::toString);
    assertTrue(outputs.get("server-version").matches("\\d+\\.\\d+.*"), outputs::toString);
    assertTrue(Double.parseDouble(outputs.get("duration-seconds")) > 0, outputs::toString);
    assertTrue(run.stepSummary().contains(key), run::stepSummary);
    assertTrue(run.stdout().contains("::group::pg_dump --verbose"), run::describe);
    assertTrue(run.stdout().contains("::endgroup::"), run::describe);
    assertTrue(run.stdout().startsWith("::add-mask::"), "masks come before anything else");
    assertTrue(s3.unfinishedUploads(bucket).isEmpty(), "no multipart upload left behind");

    Path archive = Files.createTempFile("restored-", ".dump");
    Files.write(archive, stored);
    String restored = postgres.uniqueDatabaseName("restored");
    postgres.createDatabase(restored);
    PgTools.restore(postgres, restored, archive);

    Map<String, String> expected = PgTools.tableFingerprints(postgres, source);
    assertEquals(3, expected.size(), expected::toString);
    assertEquals(expected, PgTools.tableFingerprints(postgres, restored));
    assertEquals(
        PgTools.queryString(postgres, source, "SELECT last_value FROM sales.invoice_numbers"),
        PgTools.queryString(postgres, restored, "SELECT last_value FROM sales.invoice_numbers"));
    assertEquals(
        "500", PgTools.queryString(postgres, restored, "SELECT public.customer_count()"));
    assertEquals(
        PgTools.queryString(postgres, source, "SELECT count(*) FROM sales.big_invoices"),
        PgTools.queryString(postgres, restored, "SELECT count(*) FROM sales.big_invoices"));
    assertEquals(
        "customers_name_idx",
        PgTools.queryString(
            postgres, restored, "SELECT indexname FROM pg_indexes WHERE indexname = 'customers_name_idx'"));
    assertFalse(run.outputExceptMasks().contains(postgres.password()), "the password never appears");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "the S3 secret never appears");
  }

  @Test
  void a_password_with_spaces_at_its_edges_is_used_as_given() {
    String role = postgres.uniqueDatabaseName("edge_role");
    String password = "  edge\\pw:" + System.nanoTime() + " \t";
    String database = postgres.uniqueDatabaseName("edge");
    postgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    postgres.execute("postgres", "CREATE DATABASE " + database + " OWNER " + role);
    String url =
        "postgresql://" + role + ":" + PostgresServer.percentEncode(password) + "@"
            + postgres.host() + ":" + postgres.port() + "/" + database;
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        ProgramRun.inTempDir()
            .input("database-url", url)
            .storage(s3, bucket)
            .env("GITHUB_ACTIONS", "true")
            .run();
    assertEquals(0, run.exitCode(), run::describe);
    assertEquals("full: passed", run.outputs().get("verification"));
    assertFalse(run.outputExceptMasks().contains(password.strip()), "the password never appears");
  }

  @Test
  void never_overwrites_an_object_already_at_its_key() {
    String bucket = s3.createBucket();
    Instant now = Instant.now();
    List<String> occupied = new ArrayList<>();
    for (int second = -1; second <= 15; second++) {
      String key = new BackupKey("neon-backups/", source, now.plusSeconds(second)).key();
      s3.putObject(bucket, key, "occupied".getBytes(StandardCharsets.UTF_8));
      occupied.add(key);
    }
    ProgramRun.Result run =
        ProgramRun.inTempDir().input("database-url", postgres.url(source)).storage(s3, bucket).run();
    assertEquals(0, run.exitCode(), run::describe);
    String key = run.outputs().get("object-key");
    assertFalse(occupied.contains(key), key);
    assertTrue(key.compareTo(occupied.get(occupied.size() - 1)) > 0, "it moved past the taken seconds");
    for (String taken : occupied) {
      assertEquals("occupied", new String(s3.getObject(bucket, taken), StandardCharsets.UTF_8));
    }
  }

  @Test
  void flags_work_without_actions_and_win_over_the_environment() {
    String bucket = s3.createBucket();
    ProgramRun.Result run =
        ProgramRun.inTempDir()
            .storage(s3, bucket)
            .input("s3-prefix", "ignored-because-the-flag-wins/")
            .args(
                "backup",
                "--database-url=" + postgres.url(source),
                "--s3-prefix=nightly",
                "--compression=9",
                "--pg-dump-options=--no-owner --exclude-schema=sales")
            .run();
    assertEquals(0, run.exitCode(), run::describe);
    List<String> keys = s3.keys(bucket, "");
    assertEquals(2, keys.size(), keys::toString);
    assertTrue(keys.get(0).startsWith("nightly/" + source + "/"), keys::toString);
    assertFalse(run.stdout().contains("::"), "no workflow commands outside Actions");
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
