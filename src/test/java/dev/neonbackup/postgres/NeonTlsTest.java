package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A Neon host's certificate is verified against the system's roots unless verify-tls is false. */
class NeonTlsTest {
  private static final String NEON = "postgresql://u:p@ep-a-1.us-east-2.aws.neon.tech/neondb";
  private static final String BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

  private static ConnectionString tls(String url, boolean verify, int libpqMajor) {
    return NeonRules.tls(ConnectionString.parse(url, "database-url"), verify, libpqMajor);
  }

  @ParameterizedTest
  @CsvSource({
    "'', 16, verify-full, system",
    "?sslmode=require&channel_binding=require, 17, verify-full, system",
    "?sslmode=prefer, 14, verify-full, " + BUNDLE,
    "?sslmode=allow, 15, verify-full, " + BUNDLE,
    "?sslmode=verify-ca, 18, verify-full, system",
    "?sslmode=verify-full, 15, verify-full, " + BUNDLE,
    "?sslmode=require&sslrootcert=/my/ca.pem, 17, verify-full, /my/ca.pem",
  })
  void verifies_a_neon_hosts_certificate_by_default(
      String query, int libpqMajor, String sslmode, String rootCert) {
    ConnectionString adjusted = tls(NEON + query, true, libpqMajor);
    assertEquals(Optional.of(sslmode), adjusted.parameter("sslmode"));
    assertEquals(Optional.of(rootCert), adjusted.parameter("sslrootcert"));
  }

  @Test
  void keeps_channel_binding_and_the_other_parameters() {
    ConnectionString adjusted =
        tls(NEON + "?sslmode=require&channel_binding=require&connect_timeout=5", true, 17);
    assertEquals(
        "postgresql://u:***@ep-a-1.us-east-2.aws.neon.tech/neondb?sslmode=verify-full"
            + "&channel_binding=require&connect_timeout=5&sslrootcert=system",
        adjusted.redacted());
  }

  @ParameterizedTest
  @CsvSource({"'', require", "?sslmode=require, require", "?sslmode=verify-full, verify-full"})
  void with_verify_tls_false_only_makes_sure_of_tls(String query, String sslmode) {
    ConnectionString adjusted = tls(NEON + query, false, 17);
    assertEquals(Optional.of(sslmode), adjusted.parameter("sslmode"));
    assertEquals(Optional.empty(), adjusted.parameter("sslrootcert"));
  }

  @ParameterizedTest
  @CsvSource({
    "postgresql://u@db.example.com/x?sslmode=require",
    "postgresql://u@ep-a-1.us-east-2.aws.neon.tech.example.com/x",
    "postgresql://u@localhost/x"
  })
  void leaves_other_hosts_as_given(String url) {
    ConnectionString given = ConnectionString.parse(url, "database-url");
    assertEquals(given.redacted(), NeonRules.tls(given, true, 17).redacted());
  }
}
