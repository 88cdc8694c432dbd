package dev.neonbackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static Redactor redactorOf(String... secrets) {
    return Redactor.of(List.of(secrets).stream().map(Secret::of).toList());
  }

  @Test
  void replaces_a_secret_as_given_with_stars() {
    assertEquals(
        "password authentication failed for password ***",
        redactorOf("AbC123dEf").redact("password authentication failed for password AbC123dEf"));
  }

  @Test
  void replaces_every_occurrence() {
    assertEquals("*** and *** and ***", redactorOf("s3cr3t").redact("s3cr3t and s3cr3t and s3cr3t"));
  }

  @Test
  void replaces_the_percent_encoded_form_a_url_carries() {
    assertEquals(
        "postgresql://alex:***@host/db",
        redactorOf("p@ss:w/rd%").redact("postgresql://alex:p%40ss%3Aw%2Frd%25@host/db"));
  }

  @Test
  void replaces_a_space_encoded_as_plus_and_as_percent_20() {
    Redactor redactor = redactorOf("my secret");
    assertEquals("a=*** b=***", redactor.redact("a=my+secret b=my%20secret"));
    assertEquals("***", redactor.redact("my secret"));
  }

  @Test
  void replaces_non_ascii_secrets_raw_and_utf8_percent_encoded() {
    Redactor redactor = redactorOf("pässwörd");
    assertEquals("*** ***", redactor.redact("pässwörd p%C3%A4ssw%C3%B6rd"));
  }

  @Test
  void replaces_the_longest_secret_first_so_no_tail_of_it_remains() {
    assertEquals("my ***", redactorOf("pass", "password").redact("my password"));
    assertEquals("my ***", redactorOf("password", "pass").redact("my password"));
  }

  @Test
  void replaces_several_different_secrets() {
    assertEquals(
        "key *** token ***",
        redactorOf("wJalrXUtnFEMI", "FwoGZXIvYXdz").redact("key wJalrXUtnFEMI token FwoGZXIvYXdz"));
  }

  @Test
  void ignores_an_empty_secret_instead_of_starring_every_gap() {
    assertEquals("nothing secret here", redactorOf("").redact("nothing secret here"));
    assertEquals("***!", redactorOf("", "abc").redact("abc!"));
  }

  @Test
  void with_no_secrets_leaves_text_unchanged() {
    assertEquals("abc", redactorOf().redact("abc"));
  }

  @Test
  void none_leaves_text_unchanged_and_is_one_shared_instance() {
    assertEquals("AbC123dEf", Redactor.none().redact("AbC123dEf"));
    assertSame(Redactor.none(), Redactor.none());
  }

  @Test
  void passes_null_through() {
    assertNull(redactorOf("x").redact(null));
    assertNull(Redactor.none().redact(null));
  }

  @Test
  void leaves_text_without_the_secret_unchanged() {
    assertEquals("pg_dump: dumping contents", redactorOf("hunter2").redact("pg_dump: dumping contents"));
  }
}
