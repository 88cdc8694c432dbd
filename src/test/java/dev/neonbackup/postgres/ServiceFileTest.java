package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection reaches libpq through private files, the password as libpq reads it. */
class ServiceFileTest {
  private static ConnectionString parse(String text) {
    return ConnectionString.parse(text, "database-url");
  }

  @Test
  void keeps_the_edge_spaces_of_a_password_in_a_private_password_file() throws IOException {
    ConnectionString connection =
        parse("host=h dbname=db password=' pa\\\\ss:w\\'rd\t ' sslpassword=k3y");
    try (ServiceFile files = ServiceFile.write(connection, 17)) {
      Map<String, String> environment = new HashMap<>();
      files.applyTo(environment);
      Path passwordFile = Path.of(environment.get("PGPASSFILE"));
      assertEquals("*:*:*:*: pa\\\\ss\\:w'rd\t \n", Files.readString(passwordFile));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
      String service = Files.readString(Path.of(environment.get("PGSERVICEFILE")));
      assertFalse(service.contains("pa\\"), service);
      assertTrue(service.contains("sslpassword=k3y\n"), service);
    }
  }

  @Test
  void sets_no_password_file_without_a_password() {
    try (ServiceFile files = ServiceFile.write(parse("host=h dbname=db"), 17)) {
      Map<String, String> environment = new HashMap<>(Map.of("PGPASSFILE", "/home/u/.pgpass"));
      files.applyTo(environment);
      assertEquals("/home/u/.pgpass", environment.get("PGPASSFILE"), "the user's own file stays");
    }
  }

  @Test
  void refuses_a_key_passphrase_with_edge_spaces_naming_the_input() {
    InputException refused =
        assertThrows(
            InputException.class, () -> ServiceFile.write(parse("host=h sslpassword=' k3y'"), 17));
    assertTrue(refused.getMessage().startsWith("database-url: parameter 'sslpassword'"));
    assertFalse(refused.getMessage().contains("k3y"));
  }

  @Test
  void verifies_a_neon_hosts_certificate_for_the_client_that_reads_the_file() throws IOException {
    ConnectionString neon =
        ConnectionString.parse("postgresql://u:pw@ep-a-1.us-east-2.aws.neon.tech/db", "target-url");
    assertTrue(serviceText(neon, 17).contains("sslmode=verify-full\nsslrootcert=system\n"));
    assertTrue(
        serviceText(neon, 15)
            .contains("sslmode=verify-full\nsslrootcert=/etc/ssl/certs/ca-certificates.crt\n"));
    String optedOut = serviceText(neon.withVerifyTls(false), 17);
    assertTrue(optedOut.contains("sslmode=require\n"), optedOut);
    assertFalse(optedOut.contains("sslrootcert"), optedOut);
    assertFalse(serviceText(parse("host=db.example.com dbname=db"), 17).contains("sslmode"));
  }

  private static String serviceText(ConnectionString connection, int libpqMajor) throws IOException {
    try (ServiceFile files = ServiceFile.write(connection, libpqMajor)) {
      Map<String, String> environment = new HashMap<>();
      files.applyTo(environment);
      return Files.readString(Path.of(environment.get("PGSERVICEFILE")));
    }
  }
}
