package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.AgeTool;
import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups encrypted to age public keys, end to end: a real PostgreSQL, S3 server, pg_dump and
 * pg_restore, and the stock age tool in both directions. Restores need a private key of a
 * recipient; a wrong or missing one, and a changed object, are refused with their own exit codes.
 */
class EncryptionIT {
  private static final int VERIFY = 6;
  private static final int RESTORE = 8;
  private static final int BAD_INPUT = 2;

  @TempDir static Path keys;

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;
  private static String bucket;
  private static AgeTool.KeyPair operator;
  private static AgeTool.KeyPair escrow;
  private static AgeTool.KeyPair stranger;
  private static ProgramRun.Result backup;
  private static String key;

  @BeforeAll
  static void backUpEncryptedToTwoRecipients() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    source = postgres.uniqueDatabaseName("encrypted");
    postgres.createDatabase(source);
    postgres.execute(source, SampleData.VARIED);
    postgres.execute(source, SampleData.large(60_000));
    bucket = s3.createBucket();
    operator = AgeTool.newKeyPair(keys);
    escrow = AgeTool.newKeyPair(keys);
    stranger = AgeTool.newKeyPair(keys);
    backup =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .input("age-recipients", operator.publicKey() + ",\n " + escrow.publicKey())
            .env("GITHUB_ACTIONS", "true")
            .timeout(Duration.ofMinutes(2))
            .run();
    assertEquals(0, backup.exitCode(), backup::describe);
    key = backup.outputs().get("object-key");
  }

  @Test
  void the_archive_is_stored_encrypted_and_its_manifest_describes_both_layers() {
    assertTrue(key.endsWith("/" + source + "-" + key.substring(key.lastIndexOf('-') + 1)), key);
    assertTrue(key.endsWith(".dump.age"), key);
    Map<String, String> outputs = backup.outputs();
    assertEquals("true", outputs.get("encrypted"));
    byte[] stored = s3.getObject(bucket, key);
    assertTrue(
        new String(stored, 0, 22, StandardCharsets.US_ASCII).equals("age-encryption.org/v1\n"),
        "an age v1 file");
    assertEquals(sha256(stored), outputs.get("sha256"), "sha256 describes the stored object");
    assertEquals(String.valueOf(stored.length), outputs.get("size-bytes"));
    String manifest = new String(s3.getObject(bucket, key + ".json"), StandardCharsets.UTF_8);
    assertTrue(manifest.contains("\"encryption\": \"age\""), manifest);
    assertTrue(manifest.contains(operator.publicKey()) && manifest.contains(escrow.publicKey()), manifest);
    assertTrue(manifest.contains("\"plaintextSha256\": \""), manifest);
    assertTrue(manifest.contains("\"verificationResult\": \"passed\""), manifest);
    assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("PGDMP"), "no plaintext");
  }

  @Test
  void restore_with_one_recipients_private_key_brings_back_equal_data_streamed_and_downloaded() {
    for (String jobs : List.of("1", "2")) {
      String target = freshDatabase("enc_restored_" + jobs);
      ProgramRun.Result run =
          restore(target)
              .input("age-identity", operator.privateKey())
              .input("jobs", jobs)
              .runRevealingNone(operator.privateKey(), postgres.password(), s3.secretAccessKey());
      assertEquals(0, run.exitCode(), run::describe);
      assertEquals(
          PgTools.tableFingerprints(postgres, source), PgTools.tableFingerprints(postgres, target));
    }
  }

  @Test
  void the_stock_age_tool_decrypts_it_and_pg_restore_restores_that(@TempDir Path dir)
      throws IOException {
    Path encrypted = dir.resolve("archive.dump.age");
    Files.write(encrypted, s3.getObject(bucket, key));
    Path plain = dir.resolve("archive.dump");
    AgeTool.decrypt(escrow.identityFile(), encrypted, plain);
    String manifest = new String(s3.getObject(bucket, key + ".json"), StandardCharsets.UTF_8);
    assertTrue(manifest.contains("\"plaintextSha256\": \"" + sha256(Files.readAllBytes(plain)) + "\""));
    String target = freshDatabase("enc_by_age");
    PgTools.restore(postgres, target, plain);
    assertEquals(
        PgTools.tableFingerprints(postgres, source), PgTools.tableFingerprints(postgres, target));
  }

  @Test
  void an_archive_the_stock_age_tool_encrypted_is_restored_with_an_identity_file(
      @TempDir Path dir) throws IOException {
    Path plain = dir.resolve("plain.dump");
    Files.write(plain, plaintextOfOurArchive(dir));
    Path encrypted = dir.resolve("by-age.dump.age");
    AgeTool.encrypt(operator.publicKey(), plain, encrypted);
    String foreignKey = "handmade/" + source + "/" + source + "-20260101T000000Z.dump.age";
    s3.putObject(bucket, foreignKey, Files.readAllBytes(encrypted));
    String target = freshDatabase("enc_from_age");
    ProgramRun.Result run =
        restore(target)
            .input("backup-key", foreignKey)
            .input("age-identity", operator.identityFile().toString())
            .run();
    assertEquals(0, run.exitCode(), run::describe);
    assertTrue(run.stderr().contains("the archive's header: written by pg_dump"), run::describe);
    assertEquals(
        PgTools.tableFingerprints(postgres, source), PgTools.tableFingerprints(postgres, target));
  }

  @Test
  void a_key_that_is_no_recipient_is_refused_with_exit_8_before_the_target_is_touched() {
    String target = freshDatabase("enc_wrong_key");
    ProgramRun.Result run =
        restore(target)
            .input("age-identity", stranger.privateKey())
            .runRevealingNone(stranger.privateKey());
    assertEquals(RESTORE, run.exitCode(), run::describe);
    assertEquals(1, run.errorLines().size(), run::describe);
    String error = run.errorLines().get(0);
    assertTrue(error.contains("age-identity (public key " + stranger.publicKey() + ") is none of them"), error);
    assertTrue(error.contains(operator.publicKey()), error);
    assertFalse(run.stdout().contains("::group::pg_restore"), "pg_restore never started");
    assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
  }

  @Test
  void no_identity_for_an_encrypted_backup_is_refused_with_exit_8_naming_the_input() {
    String target = freshDatabase("enc_no_key");
    ProgramRun.Result run = restore(target).run();
    assertEquals(RESTORE, run.exitCode(), run::describe);
    String error = run.errorLines().get(0);
    assertTrue(error.contains("is encrypted with age to "), error);
    assertTrue(error.contains("set age-identity"), error);
    assertTrue(error.contains("the target was not touched"), error);
    assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
  }

  @Test
  void a_public_key_or_a_mangled_private_key_given_as_identity_is_bad_input_and_not_echoed() {
    String mangled = operator.privateKey().substring(0, 40) + "QQQQ" + operator.privateKey().substring(44);
    for (String wrong : List.of(operator.publicKey(), mangled)) {
      ProgramRun.Result run =
          restore(freshDatabase("enc_bad_input")).input("age-identity", wrong).runRevealingNone(mangled);
      assertEquals(BAD_INPUT, run.exitCode(), run::describe);
      assertTrue(run.errorLines().get(0).contains("age-identity"), run::describe);
    }
  }

  @Test
  void a_changed_object_is_refused_with_exit_6_streamed_or_downloaded() {
    byte[] stored = s3.getObject(bucket, key);
    for (int at : List.of(stored.length / 2, stored.length - 3)) {
      byte[] changed = stored.clone();
      changed[at] ^= 0x01;
      String changedKey = key.substring(0, key.lastIndexOf('/') + 1) + "changed-" + at + ".dump.age";
      s3.putObject(bucket, changedKey, changed);
      for (String jobs : List.of("1", "2")) {
        String target = freshDatabase("enc_changed");
        ProgramRun.Result run =
            restore(target)
                .input("backup-key", changedKey)
                .input("age-identity", operator.privateKey())
                .input("jobs", jobs)
                .run();
        assertEquals(VERIFY, run.exitCode(), run::describe);
        assertTrue(run.errorLines().get(0).contains("failed age authentication"), run::describe);
        if (jobs.equals("2")) {
          assertFalse(run.stdout().contains("::group::pg_restore"), "checked before pg_restore");
          assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
        }
      }
    }
  }

  @Test
  void a_changed_header_with_a_recipients_key_is_exit_6_not_a_wrong_key() {
    byte[] changed = s3.getObject(bucket, key);
    changed[60] ^= 0x01; // inside the first recipient's stanza
    String changedKey = key.substring(0, key.lastIndexOf('/') + 1) + "header.dump.age";
    s3.putObject(bucket, changedKey, changed);
    s3.putObject(
        bucket,
        changedKey + ".json",
        new String(s3.getObject(bucket, key + ".json"), StandardCharsets.UTF_8)
            .replace(key, changedKey)
            .getBytes(StandardCharsets.UTF_8));
    // The first stanza is the operator's: alone, its key no longer opens the header; with the
    // escrow key too, the file key comes out of the second stanza and the header's MAC fails.
    for (String identity :
        List.of(operator.privateKey(), operator.privateKey() + "\n" + escrow.privateKey())) {
      String target = freshDatabase("enc_header");
      ProgramRun.Result run =
          restore(target).input("backup-key", changedKey).input("age-identity", identity).run();
      assertEquals(VERIFY, run.exitCode(), run::describe);
      assertTrue(run.errorLines().get(0).contains("changed or damaged"), run::describe);
      assertFalse(run.stdout().contains("::group::pg_restore"), "pg_restore never started");
      assertEquals(Map.of(), PgTools.tableFingerprints(postgres, target));
    }
  }

  @Test
  void the_restore_drill_of_an_encrypted_backup_needs_a_recipients_key_and_then_passes() {
    String scratch = freshDatabase("enc_drill");
    ProgramRun drillWithout =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .input("age-recipients", operator.publicKey())
            .input("restore-check-url", postgres.url(scratch))
            .timeout(Duration.ofMinutes(2));
    ProgramRun.Result refused = drillWithout.run();
    assertEquals(BAD_INPUT, refused.exitCode(), refused::describe);
    assertTrue(refused.errorLines().get(0).contains("set age-identity"), refused::describe);
    ProgramRun.Result stranger =
        drillWithout.input("age-identity", EncryptionIT.stranger.privateKey())
            .runRevealingNone(EncryptionIT.stranger.privateKey());
    assertEquals(BAD_INPUT, stranger.exitCode(), stranger::describe);
    assertTrue(stranger.errorLines().get(0).contains("is none of age-recipients"), stranger::describe);
    ProgramRun.Result drilled =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .input("age-recipients", operator.publicKey())
            .input("restore-check-url", postgres.url(scratch))
            .input("age-identity", operator.privateKey())
            .env("GITHUB_ACTIONS", "true")
            .timeout(Duration.ofMinutes(2))
            .runRevealingNone(operator.privateKey());
    assertEquals(0, drilled.exitCode(), drilled::describe);
    assertEquals("passed", drilled.outputs().get("restore-check"), drilled::describe);
    assertTrue(drilled.outputs().get("object-key").endsWith(".dump.age"));
  }

  private static byte[] plaintextOfOurArchive(Path dir) throws IOException {
    Path encrypted = dir.resolve("ours.dump.age");
    Files.write(encrypted, s3.getObject(bucket, key));
    Path plain = dir.resolve("ours.dump");
    AgeTool.decrypt(operator.identityFile(), encrypted, plain);
    return Files.readAllBytes(plain);
  }

  private static ProgramRun restore(String target) {
    return ProgramRun.inTempDir()
        .storage(s3, bucket)
        .input("backup-key", key)
        .input("target-url", postgres.url(target))
        .env("GITHUB_ACTIONS", "true")
        .timeout(Duration.ofMinutes(2))
        .args("restore");
  }

  private static String freshDatabase(String prefix) {
    return postgres.createUniqueDatabase(prefix);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
