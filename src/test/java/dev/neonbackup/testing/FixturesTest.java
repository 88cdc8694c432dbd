package dev.neonbackup.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The test servers themselves: real PostgreSQL and real S3Proxy, doing what tests rely on. */
class FixturesTest {

  @Test
  void postgresStoresAndReturnsRows() throws SQLException {
    PostgresServer pg = PostgresServer.shared();
    String database = pg.uniqueDatabaseName("fixtures");
    pg.createDatabase(database);
    try {
      pg.execute(
          database,
          "CREATE TABLE notes (id int PRIMARY KEY, body text);"
              + " INSERT INTO notes VALUES (1, 'first'), (2, 'zweite ü');");
      try (Connection connection = pg.connect(database);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT body FROM notes ORDER BY id")) {
        assertTrue(rows.next());
        assertEquals("first", rows.getString(1));
        assertTrue(rows.next());
        assertEquals("zweite ü", rows.getString(1));
        assertFalse(rows.next());
      }
    } finally {
      pg.dropDatabase(database);
    }
    pg.dropDatabase(database); // IF EXISTS: a second drop is fine
  }

  @Test
  void postgresRequiresTheRightPassword() {
    PostgresServer pg = PostgresServer.shared();
    Properties wrong = new Properties();
    wrong.setProperty("user", pg.superuser());
    wrong.setProperty("password", pg.password() + "x");
    String jdbc = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/postgres";
    SQLException refused =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbc, wrong).close());
    assertEquals("28P01", refused.getSQLState(), refused.getMessage()); // invalid_password
  }

  @Test
  void postgresUrlPercentEncodesThePassword() {
    PostgresServer pg = PostgresServer.shared();
    for (char special : Randoms.URL_SPECIALS.toCharArray()) {
      assertTrue(pg.password().indexOf(special) >= 0, "password lacks " + special);
    }
    URI uri = URI.create(pg.url("some_db"));
    assertEquals("postgresql", uri.getScheme());
    assertEquals(pg.host(), uri.getHost());
    assertEquals(pg.port(), uri.getPort());
    assertEquals("/some_db", uri.getPath());
    String userInfo = uri.getRawUserInfo();
    assertEquals(pg.superuser(), userInfo.substring(0, userInfo.indexOf(':')));
    String encoded = userInfo.substring(userInfo.indexOf(':') + 1);
    assertFalse(encoded.contains(pg.password()));
    // '+' is encoded as %2B, so a form decoder gives it back unchanged too
    assertEquals(pg.password(), URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    assertTrue(pg.urlWithPassword("db", "a@b").contains(":a%40b@"));
  }

  @Test
  void privatePostgresStopsAndStartsAgainOnTheSamePort() throws SQLException {
    try (PostgresServer pg = PostgresServer.startLocal()) {
      int port = pg.port();
      pg.stopFast();
      assertThrows(SQLException.class, () -> pg.connect("postgres").close());
      pg.startAgain();
      assertEquals(port, pg.port());
      try (Connection connection = pg.connect("postgres")) {
        assertTrue(connection.isValid(5));
      }
    }
  }

  @Test
  void s3StoresListsAndReturnsObjects() {
    S3Server s3 = S3Server.shared();
    String bucket = s3.createBucket();
    s3.putObject(bucket, "a/one.dump", "one".getBytes(StandardCharsets.UTF_8));
    s3.putObject(bucket, "a/two.dump", new byte[0]);
    s3.putObject(bucket, "b/three.dump", "three".getBytes(StandardCharsets.UTF_8));

    assertEquals(List.of("a/one.dump", "a/two.dump"), s3.keys(bucket, "a/"));
    assertEquals(3, s3.keys(bucket, "").size());
    assertArrayEquals("three".getBytes(StandardCharsets.UTF_8), s3.getObject(bucket, "b/three.dump"));
    assertTrue(s3.unfinishedUploads(bucket).isEmpty());
  }

  @Test
  void s3ShowsUnfinishedMultipartUploadsUntilAborted() {
    S3Server s3 = S3Server.shared();
    S3Client client = s3.client();
    String bucket = s3.createBucket();
    String key = "db/db-20260101T000000Z.dump";
    String uploadId = client.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    String etag =
        client
            .uploadPart(
                r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[1024]))
            .eTag();
    assertTrue(etag != null && !etag.isEmpty());

    assertEquals(List.of(key + " " + uploadId), s3.unfinishedUploads(bucket));
    assertTrue(s3.keys(bucket, "").isEmpty(), "an unfinished upload is no object");

    client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    assertTrue(s3.unfinishedUploads(bucket).isEmpty());
    assertTrue(s3.keys(bucket, "").isEmpty());
  }

  @Test
  void s3CompletesMultipartUploads() {
    S3Server s3 = S3Server.shared();
    S3Client client = s3.client();
    String bucket = s3.createBucket();
    String key = "big.dump";
    byte[] part1 = new byte[5 * 1024 * 1024];
    byte[] part2 = "tail".getBytes(StandardCharsets.UTF_8);
    part1[0] = 42;
    String uploadId = client.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    String etag1 = upload(client, bucket, key, uploadId, 1, part1);
    String etag2 = upload(client, bucket, key, uploadId, 2, part2);
    client.completeMultipartUpload(
        r ->
            r.bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())));

    byte[] stored = s3.getObject(bucket, key);
    assertEquals(part1.length + part2.length, stored.length);
    assertEquals(42, stored[0]);
    assertTrue(s3.unfinishedUploads(bucket).isEmpty());
  }

  @Test
  void privateS3ServerStops() {
    try (S3Server s3 = S3Server.start()) {
      String bucket = s3.createBucket();
      s3.putObject(bucket, "k", new byte[] {1});
      s3.stop();
      assertThrows(RuntimeException.class, () -> s3.getObject(bucket, "k"));
    }
  }

  private static String upload(
      S3Client client, String bucket, String key, String uploadId, int number, byte[] data) {
    return client
        .uploadPart(
            r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
            RequestBody.fromBytes(data))
        .eTag();
  }
}
