package dev.neonbackup.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real server of every PostgreSQL major that Neon runs starts here and answers queries. */
class MultiMajorPostgresTest {

  @ParameterizedTest(name = "PostgreSQL {0}")
  @ValueSource(ints = {14, 15, 16, 17, 18})
  void a_local_server_of_each_major_starts_and_answers(int major) throws SQLException {
    try (PostgresServer pg = PostgresServer.startLocal(major)) {
      int versionNumber =
          Integer.parseInt(PgTools.queryString(pg, "postgres", "SHOW server_version_num"));
      assertEquals(major, versionNumber / 10000, "server_version_num " + versionNumber);
      assertTrue(pg.binDir().resolve("postgres").toFile().canExecute(), pg.binDir().toString());

      String database = pg.uniqueDatabaseName("major" + major);
      pg.createDatabase(database);
      pg.execute(
          database, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'ü')");
      try (Connection connection = pg.connect(database);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT v FROM t WHERE id = 1")) {
        assertTrue(rows.next());
        assertEquals("ü", rows.getString(1));
      }
    }
  }

  @Test
  void the_shared_server_of_a_major_is_one_server() {
    PostgresServer first = PostgresServer.sharedLocal(17);
    assertSame(first, PostgresServer.sharedLocal(17));
    assertEquals(17, first.majorVersion());
    first.close(); // does nothing on a shared server
    assertEquals(17, first.majorVersion());
  }
}
