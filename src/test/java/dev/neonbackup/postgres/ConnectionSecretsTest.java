package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Redactor;
import dev.neonbackup.report.Secret;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every libpq parameter that holds a secret is held apart, listed and shown as stars. */
class ConnectionSecretsTest {
  private static ConnectionString parse(String text) {
    return ConnectionString.parse(text, "database-url");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://alex:pw-S3cret@h/db?sslpassword=key-S3cret&sslmode=verify-full",
        "postgresql://alex@h/db?password=pw-S3cret&sslpassword=key-S3cret",
        "postgresql://alex@h/db?sslpassword=key%2DS3cret&password=pw%2dS3cret",
        "host=h sslpassword=key-S3cret password=pw-S3cret dbname=db",
        "host=h sslpassword = 'key-S3cret' password='pw-S3cret'",
      })
  void holds_the_password_and_the_key_passphrase_apart_and_never_shows_them(String text) {
    ConnectionString connection = parse(text);
    assertEquals(
        List.of("key-S3cret", "pw-S3cret"),
        connection.secrets().stream().map(Secret::reveal).sorted().toList());
    assertFalse(connection.parameters().containsKey("sslpassword"), connection.redacted());
    assertFalse(connection.redacted().contains("S3cret"), connection.redacted());
    assertTrue(connection.redacted().contains("sslpassword=***"), connection.redacted());
  }

  @Test
  void keeps_the_key_passphrase_through_changes_and_hands_it_to_libpq() {
    ConnectionString changed =
        parse("host=h sslpassword=k3y").withParameter("sslmode", "verify-full").withDatabase("x");
    assertEquals(
        Optional.of("k3y"),
        Optional.ofNullable(changed.secretParameters().get("sslpassword")).map(Secret::reveal));
    assertEquals("host=h sslmode=verify-full dbname=x sslpassword=***", changed.redacted());
  }

  @Test
  void shows_the_key_passphrase_of_a_uri_as_stars_in_the_query() {
    assertEquals(
        "postgresql://alex:***@h/db?sslmode=require&sslpassword=***",
        parse("postgresql://alex:p@h/db?sslpassword=k&sslmode=require").redacted());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://u@h/db?sslpassword=k3y-S3cret&sslmode=require",
        "postgres://u@h/db?sslmode=require&sslpassword=k3y-S3cret",
        "host=h sslpassword=k3y-S3cret sslmode=require",
        "host=h sslpassword = 'k3y-S3cret'",
      })
  void redacts_a_key_passphrase_in_a_connection_string_nothing_parsed(String text) {
    String redacted = Redactor.redactConnectionStrings("could not use " + text);
    assertFalse(redacted.contains("k3y-S3cret"), redacted);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://u@h/db?SSLPASSWORD=k3y-S3cret",
        "host=h Password=k3y-S3cret",
        "postgresql://u@h/db?ssl%50assword=k3y-S3cret",
      })
  void refuses_a_keyword_libpq_does_not_know_before_its_value_can_be_shown(String text) {
    InputException refused = assertThrows(InputException.class, () -> parse(text));
    assertFalse(refused.getMessage().contains("k3y-S3cret"), refused.getMessage());
    assertTrue(refused.getMessage().startsWith("database-url has a parameter"), refused.getMessage());
  }
}
