package dev.neonbackup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.testing.PgTools;
import dev.neonbackup.testing.PostgresServer;
import dev.neonbackup.testing.ProgramRun;
import dev.neonbackup.testing.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The round-trip fidelity corpus (src/test/resources/fidelity-corpus.sql): backed up and restored
 * with the real program, the copy has the same schema, as pg_dump --schema-only prints it, the same
 * rows in every table and partition, the same materialized view contents and sequence states.
 */
class FidelityIT {
  private static final String CORPUS = "/fidelity-corpus.sql";
  private static final List<String> EXTENSIONS = List.of("citext", "pgcrypto");

  private static PostgresServer postgres;
  private static S3Server s3;
  private static String source;
  private static String restored;

  @BeforeAll
  static void backUpAndRestoreTheCorpus() {
    postgres = PostgresServer.shared();
    s3 = S3Server.shared();
    assertEquals(
        String.join(",", EXTENSIONS),
        PgTools.queryString(
            postgres,
            "postgres",
            "SELECT string_agg(name, ',' ORDER BY name) FROM pg_available_extensions"
                + " WHERE name IN ('citext', 'pgcrypto')"),
        "the corpus needs the extensions citext and pgcrypto on " + postgres
            + " (Debian: apt-get install postgresql-contrib)");
    source = postgres.uniqueDatabaseName("fidelity");
    postgres.createDatabase(source);
    psqlFile(source, corpusFile());

    String bucket = s3.createBucket();
    ProgramRun.Result backup =
        ProgramRun.inTempDir()
            .input("database-url", postgres.url(source))
            .storage(s3, bucket)
            .env("GITHUB_ACTIONS", "true")
            .run();
    assertEquals(0, backup.exitCode(), backup::describe);
    assertNoSecrets(backup);

    restored = postgres.uniqueDatabaseName("fidelity_copy");
    postgres.createDatabase(restored);
    ProgramRun.Result restore =
        ProgramRun.inTempDir()
            .storage(s3, bucket)
            .input("target-url", postgres.url(restored))
            .args("restore", "--backup-key", backup.outputs().get("object-key"))
            .run();
    assertEquals(0, restore.exitCode(), restore::describe);
    assertFalse(restore.stderr().contains("errors ignored on restore"), restore::describe);
    assertNoSecrets(restore);
  }

  @Test
  void the_schema_is_the_same_as_pg_dump_prints_it() {
    String expected = schemaOf(source);
    assertTrue(expected.contains("CREATE EXTENSION IF NOT EXISTS pgcrypto"), "the corpus is loaded");
    assertTrue(expected.contains("CREATE POLICY tenant_reads"), "the corpus is loaded");
    assertSameLines(expected, schemaOf(restored));
  }

  @Test
  void every_table_and_partition_holds_the_same_rows() {
    Map<String, String> expected = PgTools.tableFingerprints(postgres, source);
    for (String table :
        List.of(
            "app.customers",
            "app.tickets",
            "app.audit_log",
            "app.documents",
            "app.events",
            "app.events_2025",
            "app.events_2026_clicks",
            "app.events_2026_other",
            "app.events_default",
            "\"Ünïcode Schéma ✓\".\"Grüße 👋\"",
            "\"we\"\"ird.Schema\".\"Table.With\"\"Dots\"")) {
      assertTrue(expected.containsKey(table), () -> table + " missing from " + expected.keySet());
      assertFalse(expected.get(table).startsWith("0:"), () -> table + " has rows");
    }
    assertEquals(expected, PgTools.tableFingerprints(postgres, restored));
  }

  @Test
  void the_materialized_view_is_populated_with_the_same_rows() {
    String contents =
        "SELECT count(*) || ':' || md5(string_agg(m::text, E'\\n' ORDER BY m::text))"
            + " FROM reporting.monthly_events m";
    String populated =
        "SELECT relispopulated::text FROM pg_class WHERE oid = 'reporting.monthly_events'::regclass";
    assertEquals("true", PgTools.queryString(postgres, restored, populated));
    String expected = PgTools.queryString(postgres, source, contents);
    assertFalse(expected.startsWith("0:"), expected);
    assertEquals(expected, PgTools.queryString(postgres, restored, contents));
  }

  @Test
  void every_sequence_continues_where_it_stood() {
    Map<String, String> expected = sequenceStates(source);
    List<String> corpusSequences =
        List.of(
            "app.countdown",
            "app.customers_id_seq",
            "app.not_called_yet",
            "app.ticket_numbers",
            "app.tickets_legacy_id_seq",
            "app.tickets_seq_no_seq");
    assertTrue(expected.keySet().containsAll(corpusSequences), expected::toString);
    assertEquals("42:false", expected.get("app.not_called_yet"));
    assertEquals(expected, sequenceStates(restored));
  }

  /** pg_dump --schema-only, without what differs by nature: version lines and \restrict keys. */
  private static String schemaOf(String database) {
    String dump =
        run(
            List.of(
                PgTools.clientBinDir().resolve("pg_dump").toString(),
                "--schema-only",
                "--no-owner",
                "--no-acl",
                "--host=" + postgres.host(),
                "--port=" + postgres.port(),
                "--username=" + postgres.superuser(),
                "--dbname=" + database));
    return dump.lines()
        .filter(line -> !line.startsWith("-- Dumped from") && !line.startsWith("-- Dumped by"))
        .filter(line -> !line.startsWith("\\restrict ") && !line.startsWith("\\unrestrict "))
        .map(line -> line.replace(database, "<database>"))
        .collect(Collectors.joining("\n"));
  }

  /** Fails at the first line that differs, showing it with a little context (not 2,000 lines). */
  private static void assertSameLines(String expected, String actual) {
    List<String> want = expected.lines().toList();
    List<String> got = actual.lines().toList();
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String wanted = i < want.size() ? want.get(i) : "<end>";
      String found = i < got.size() ? got.get(i) : "<end>";
      if (!wanted.equals(found)) {
        String context = String.join("\n", want.subList(Math.max(0, i - 5), i));
        throw new AssertionError(
            "the restored schema differs at line " + (i + 1) + ", after:\n" + context
                + "\nexpected: " + wanted + "\nbut was:  " + found);
      }
    }
  }

  /** Each sequence's {@code last_value:is_called}, by qualified name. */
  private static Map<String, String> sequenceStates(String database) {
    Map<String, String> states = new TreeMap<>();
    try (Connection connection = postgres.connect(database);
        Statement statement = connection.createStatement()) {
      List<String> sequences = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S'")) {
        while (rows.next()) {
          sequences.add(rows.getString(1));
        }
      }
      for (String sequence : sequences) {
        try (ResultSet rows =
            statement.executeQuery("SELECT last_value || ':' || is_called FROM " + sequence)) {
          rows.next();
          states.put(sequence, rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("could not read the sequences of " + database, e);
    }
    return states;
  }

  private static void assertNoSecrets(ProgramRun.Result run) {
    assertFalse(run.outputExceptMasks().contains(postgres.password()), "database password leaked");
    assertFalse(run.outputExceptMasks().contains(s3.secretAccessKey()), "S3 secret leaked");
  }

  private static Path corpusFile() {
    try (InputStream corpus = FidelityIT.class.getResourceAsStream(CORPUS)) {
      if (corpus == null) {
        throw new IllegalStateException(CORPUS + " is not on the test classpath");
      }
      Path file = Files.createTempFile("fidelity-corpus-", ".sql");
      Files.write(file, corpus.readAllBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a script with psql, stopping at its first error (the corpus has BEGIN ATOMIC bodies). */
  private static void psqlFile(String database, Path script) {
    run(
        List.of(
            PgTools.clientBinDir().resolve("psql").toString(),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--host=" + postgres.host(),
            "--port=" + postgres.port(),
            "--username=" + postgres.superuser(),
            "--dbname=" + database,
            "--file=" + script));
  }

  /** Runs a client program with the password in PGPASSWORD; its stdout, or a failure with both. */
  private static String run(List<String> command) {
    try {
      Path errors = Files.createTempFile("client-", ".err");
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
      builder.environment().put("PGPASSWORD", postgres.password());
      builder.environment().put("PGCLIENTENCODING", "UTF8");
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean finished = process.waitFor(2, TimeUnit.MINUTES);
      String stderr = Files.readString(errors);
      Files.delete(errors);
      if (!finished || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command.subList(0, 1)) + " failed:\n" + stderr);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
