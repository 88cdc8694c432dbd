package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.catalog.BackupKey;
import dev.neonbackup.catalog.Manifest;
import dev.neonbackup.testing.ByteCountingProxy;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What a backup costs in egress: the bytes the program says pg_dump received are within 10% of the
 * bytes the server sent pg_dump's connection, as a proxy between them counts them on the server's
 * side; the summary adds the month's backups under the prefix.
 */
class EgressIT {
  private static final PostgresServer postgres = PostgresServer.shared();
  private static final S3Server s3 = S3Server.shared();

  @Test
  void the_received_bytes_are_within_ten_percent_of_what_the_server_sent_pg_dump() throws Exception {
    // Hashes compress badly: about 6 MB of rows, so the figure is mostly table data.
    String database = SampleData.createLarge(postgres, "egress", 50_000);
    String bucket = s3.createBucket();
    try (ByteCountingProxy proxy = ByteCountingProxy.to(postgres.host(), postgres.port())) {
      ProgramRun.Result first = backup(proxy, database, bucket);
      assertEquals(0, first.exitCode(), first::describe);
      long sent = sentToPgDump(proxy, first);
      assertTrue(sent > 5_000_000, "the server sent pg_dump the table: " + sent);
      long output = Long.parseLong(first.outputs().get("received-bytes"));
      assertWithinTenPercent(sent, output, "the received-bytes output");
      assertTrue(output <= sent, "never more than the server sent: " + output + " > " + sent);
      Manifest manifest =
          Manifest.read(
              new String(
                  s3.getObject(bucket, first.outputs().get("manifest-key")), StandardCharsets.UTF_8));
      assertEquals(OptionalLong.of(output), manifest.receivedBytes());
      assertTrue(
          first.stepSummary().contains("| Received from the server | "),
          first.stepSummary());

      ProgramRun.Result second = backup(proxy, database, bucket);
      assertEquals(0, second.exitCode(), second::describe);
      if (sameMonth(first, second)) {
        assertTrue(
            second.stepSummary().contains(" over 2 backups under `neon-backups/` ("),
            second.stepSummary());
      }
    }
  }

  /**
   * What the server sent the connections pg_dump made (its startup message names it; the test
   * server speaks plain text); the program's psql probes connect through the proxy too.
   */
  private static long sentToPgDump(ByteCountingProxy proxy, ProgramRun.Result run) {
    List<ByteCountingProxy.Connection> pgDump =
        proxy.connections().stream().filter(c -> c.startedBy("pg_dump")).toList();
    assertEquals(1, pgDump.size(), () -> proxy.connections().size() + " connections\n" + run.describe());
    return pgDump.get(0).bytesFromServer();
  }

  private static void assertWithinTenPercent(long expected, long actual, String what) {
    assertTrue(
        Math.abs(actual - expected) <= expected / 10,
        what + ": " + actual + " bytes, the server sent " + expected);
  }

  private static boolean sameMonth(ProgramRun.Result first, ProgramRun.Result second) {
    return month(first).equals(month(second));
  }

  private static YearMonth month(ProgramRun.Result run) {
    String key = run.outputs().get("object-key");
    return YearMonth.from(
        BackupKey.parseAny("neon-backups/", key).orElseThrow(() -> new AssertionError(key))
            .timestamp().atOffset(ZoneOffset.UTC));
  }

  private static ProgramRun.Result backup(ByteCountingProxy proxy, String database, String bucket) {
    String url =
        postgres.url(database).replace(postgres.host() + ":" + postgres.port(), "127.0.0.1:" + proxy.port());
    return ProgramRun.inTempDir()
        .input("database-url", url)
        .storage(s3, bucket)
        .env("GITHUB_ACTIONS", "true")
        .run();
  }
}
