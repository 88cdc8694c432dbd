package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.cli.ExitCode;
import dev.neonbackup.failure.InputException;
import dev.neonbackup.report.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionStringTest {
  private static final String INPUT = "database-url";
  private static final String NEON =
      "postgresql://alex:AbC123dEf@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb"
          + "?sslmode=require&channel_binding=require";

  private static ConnectionString parse(String text) {
    return ConnectionString.parse(text, INPUT);
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Parameters compared in order, since they are handed to libpq in the order given. */
  private static void assertParameters(ConnectionString connection, String... keysAndValues) {
    assertEquals(
        List.copyOf(ordered(keysAndValues).entrySet()),
        List.copyOf(connection.parameters().entrySet()));
  }

  private static String password(ConnectionString connection) {
    return connection.password().map(Secret::reveal).orElse(null);
  }

  private static InputException failure(String text) {
    InputException e = assertThrows(InputException.class, () -> parse(text));
    assertEquals(ExitCode.USAGE, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith(INPUT + " "), e.getMessage());
    return e;
  }

  @Nested
  class UriForm {
    @Test
    void parses_neons_connection_string() {
      ConnectionString connection = parse(NEON);
      assertParameters(
          connection,
          "user", "alex",
          "host", "ep-cool-darkness-123456.us-east-2.aws.neon.tech",
          "dbname", "neondb",
          "sslmode", "require",
          "channel_binding", "require");
      assertEquals("AbC123dEf", password(connection));
      assertEquals(Optional.of("neondb"), connection.database());
    }

    @Test
    void never_lists_the_password_among_the_parameters() {
      assertFalse(parse(NEON).parameters().containsKey("password"));
      assertFalse(parse(NEON).parameters().containsValue("AbC123dEf"));
    }

    @Test
    void accepts_the_postgres_prefix() {
      ConnectionString connection = parse("postgres://alex:AbC123dEf@host.example/neondb");
      assertParameters(connection, "user", "alex", "host", "host.example", "dbname", "neondb");
      assertEquals("AbC123dEf", password(connection));
    }

    @Test
    void ignores_surrounding_whitespace() {
      assertEquals(parse(NEON).parameters(), parse("  " + NEON + "\n").parameters());
    }

    @Test
    void decodes_a_percent_encoded_user_password_and_dbname() {
      ConnectionString connection =
          parse("postgresql://al%20ex:p%C3%A4ss@host/my%20db%2Fx");
      assertEquals(Optional.of("al ex"), connection.parameter("user"));
      assertEquals("päss", password(connection));
      assertEquals(Optional.of("my db/x"), connection.database());
    }

    @Test
    void decodes_a_password_holding_colon_at_slash_and_percent() {
      ConnectionString connection =
          parse("postgresql://alex:a%3Ab%40c%2Fd%25e%3A@host:5432/neondb");
      assertEquals("a:b@c/d%e:", password(connection));
      assertParameters(
          connection, "user", "alex", "host", "host", "port", "5432", "dbname", "neondb");
    }

    @Test
    void accepts_lower_case_hex_digits_in_percent_encoding() {
      assertEquals("a:b", password(parse("postgresql://alex:a%3ab@host/db")));
    }

    @Test
    void decodes_percent_encoding_next_to_characters_outside_the_basic_plane() {
      ConnectionString connection = parse("postgresql://alex:%F0%9F%90%98x@host/db%20%F0%9F%90%98");
      assertEquals("\uD83D\uDC18x", password(connection));
      assertEquals(Optional.of("db \uD83D\uDC18"), connection.database());
    }

    @Test
    void keeps_raw_non_ascii_characters_when_a_percent_escape_is_in_the_same_part() {
      ConnectionString connection = parse("postgresql://alex:\uD83D\uDC18%25@host/caf\u00e9%20db");
      assertEquals("\uD83D\uDC18%", password(connection));
      assertEquals(Optional.of("caf\u00e9 db"), connection.database());
    }

    @Test
    void keeps_a_password_with_a_colon_after_the_first() {
      assertEquals("pa:ss", password(parse("postgresql://alex:pa:ss@host/db")));
    }

    @Test
    void parses_several_hosts_with_ports_in_order() {
      ConnectionString connection =
          parse("postgresql://alex:pw@host1:5432,host2:5433,host3/neondb?target_session_attrs=any");
      assertParameters(
          connection,
          "user", "alex",
          "host", "host1,host2,host3",
          "port", "5432,5433,",
          "dbname", "neondb",
          "target_session_attrs", "any");
    }

    @Test
    void parses_an_ipv6_host_with_a_port() {
      ConnectionString connection = parse("postgresql://alex:pw@[::1]:5432/neondb");
      assertParameters(
          connection, "user", "alex", "host", "::1", "port", "5432", "dbname", "neondb");
    }

    @Test
    void parses_an_ipv6_host_without_a_port_among_others() {
      ConnectionString connection = parse("postgresql://[2001:db8::1],db.example:6432/neondb");
      assertParameters(
          connection, "host", "2001:db8::1,db.example", "port", ",6432", "dbname", "neondb");
    }

    @Test
    void parses_a_user_without_a_password() {
      ConnectionString connection = parse("postgresql://alex@host/neondb");
      assertParameters(connection, "user", "alex", "host", "host", "dbname", "neondb");
      assertEquals(Optional.empty(), connection.password());
    }

    @Test
    void treats_an_empty_password_as_none() {
      assertEquals(Optional.empty(), parse("postgresql://alex:@host/neondb").password());
    }

    @Test
    void parses_no_user_at_all() {
      ConnectionString connection = parse("postgresql://host:5432/neondb");
      assertParameters(connection, "host", "host", "port", "5432", "dbname", "neondb");
      assertEquals(Optional.empty(), connection.password());
      assertEquals(Optional.of("neondb"), connection.database());
    }

    @Test
    void parses_a_password_without_a_user() {
      ConnectionString connection = parse("postgresql://:pw@host/neondb");
      assertParameters(connection, "host", "host", "dbname", "neondb");
      assertEquals("pw", password(connection));
    }

    @Test
    void falls_back_to_the_user_as_the_database_when_there_is_no_dbname() {
      ConnectionString connection = parse("postgresql://alex:pw@host");
      assertEquals(Optional.empty(), connection.parameter("dbname"));
      assertEquals(Optional.of("alex"), connection.database());
    }

    @Test
    void falls_back_to_the_user_when_the_dbname_is_empty() {
      ConnectionString connection = parse("postgresql://alex:pw@host/?sslmode=require");
      assertParameters(connection, "user", "alex", "host", "host", "sslmode", "require");
      assertEquals(Optional.of("alex"), connection.database());
    }

    @Test
    void names_no_database_without_dbname_or_user() {
      assertEquals(Optional.empty(), parse("postgresql://host").database());
      assertEquals(Optional.empty(), parse("postgresql://").database());
    }

    @Test
    void parses_an_empty_uri_to_no_parameters() {
      assertParameters(parse("postgresql://"));
    }

    @Test
    void parses_a_query_without_a_host() {
      ConnectionString connection = parse("postgresql:///neondb?host=/var/run/postgresql");
      assertParameters(connection, "dbname", "neondb", "host", "/var/run/postgresql");
    }

    @Test
    void keeps_query_parameters_in_the_order_given() {
      ConnectionString connection =
          parse("postgresql://h/db?options=-c%20x%3Dy&application_name=backup&sslmode=verify-full&connect_timeout=10");
      assertEquals(
          List.of("host", "dbname", "options", "application_name", "sslmode", "connect_timeout"),
          List.copyOf(connection.parameters().keySet()));
      assertEquals(Optional.of("-c x=y"), connection.parameter("options"));
    }

    @Test
    void skips_empty_query_pairs() {
      assertParameters(parse("postgresql://h/db?&sslmode=require&&"), "host", "h", "dbname", "db", "sslmode", "require");
    }

    @Test
    void takes_a_password_given_as_a_query_parameter_apart() {
      ConnectionString connection = parse("postgresql://alex@host/neondb?password=p%40ss&sslmode=require");
      assertEquals("p@ss", password(connection));
      assertParameters(
          connection, "user", "alex", "host", "host", "dbname", "neondb", "sslmode", "require");
    }

    @Test
    void translates_ssl_true_to_sslmode_require() {
      ConnectionString connection = parse("postgresql://h/db?ssl=true");
      assertParameters(connection, "host", "h", "dbname", "db", "sslmode", "require");
    }

    @Test
    void keeps_other_ssl_values_as_given() {
      assertEquals(Optional.of("false"), parse("postgresql://h/db?ssl=false").parameter("ssl"));
    }

    @Test
    void keeps_a_value_holding_an_equals_sign() {
      assertEquals(Optional.of("-c a=b"), parse("postgresql://h/db?options=-c a=b").parameter("options"));
    }
  }

  @Nested
  class KeywordForm {
    @Test
    void parses_key_value_pairs_in_order() {
      ConnectionString connection =
          parse("host=ep-x.neon.tech port=5432 dbname=neondb user=alex password=AbC123dEf sslmode=require");
      assertParameters(
          connection,
          "host", "ep-x.neon.tech",
          "port", "5432",
          "dbname", "neondb",
          "user", "alex",
          "sslmode", "require");
      assertEquals("AbC123dEf", password(connection));
    }

    @Test
    void allows_spaces_around_the_equals_sign() {
      assertParameters(parse("host = h  dbname =db"), "host", "h", "dbname", "db");
    }

    @Test
    void reads_single_quoted_values_with_spaces() {
      ConnectionString connection = parse("dbname='my db' password='a b c' options='-c x=y'");
      assertParameters(connection, "dbname", "my db", "options", "-c x=y");
      assertEquals("a b c", password(connection));
    }

    @Test
    void reads_backslash_escapes_inside_quotes() {
      ConnectionString connection = parse("password='it\\'s \\\\ here' dbname='a\\'b'");
      assertEquals("it's \\ here", password(connection));
      assertEquals(Optional.of("a'b"), connection.database());
    }

    @Test
    void reads_backslash_escapes_outside_quotes() {
      assertEquals(Optional.of("my db"), parse("dbname=my\\ db").database());
    }

    @Test
    void reads_an_empty_quoted_value() {
      assertEquals(Optional.of(""), parse("dbname='' host=h").parameter("dbname"));
    }

    @Test
    void falls_back_to_the_user_as_the_database() {
      assertEquals(Optional.of("alex"), parse("host=h user=alex").database());
    }

    @Test
    void does_not_decode_percent_signs() {
      assertEquals("100%", password(parse("password=100% host=h")));
    }

    @Test
    void refuses_an_unterminated_quote_without_showing_the_password() {
      InputException e = failure("host=h password='AbC123dEf");
      assertEquals(
          "database-url is not a valid key=value connection string: a quote is not closed",
          e.getMessage());
    }

    @Test
    void refuses_a_quote_whose_closing_quote_is_escaped() {
      InputException e = failure("password='AbC123dEf\\'");
      assertFalse(e.getMessage().contains("AbC123dEf"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"host=h password=AbC123dEf dbname", "=x password=AbC123dEf", "host=h AbC123dEf"})
    void refuses_a_keyword_without_an_equals_sign_without_showing_the_password(String text) {
      InputException e = failure(text);
      assertEquals(
          "database-url is not a valid key=value connection string: a keyword lacks '='",
          e.getMessage());
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest
    @ValueSource(strings = {"neondb", "AbC123dEf", "ep-cool-darkness-123456.us-east-2.aws.neon.tech", "postgresql:/h/db", "http://alex:AbC123dEf@h/db"})
    void refuses_text_that_is_not_a_connection_string_without_quoting_it(String text) {
      InputException e = failure(text);
      assertTrue(e.getMessage().startsWith("database-url is not a connection string"), e.getMessage());
      assertFalse(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void refuses_an_empty_string() {
      failure("");
    }

    /** Malformed URIs that carry the password AbC123dEf, and the reason each gives. */
    static Stream<Arguments> malformedUris() {
      return Stream.of(
          Arguments.of("postgresql://alex:AbC123dEf%@host/db", "invalid percent-encoding"),
          Arguments.of("postgresql://alex:AbC123dEf%4@host/db", "invalid percent-encoding"),
          Arguments.of("postgresql://alex:AbC123dEf%zz@host/db", "invalid percent-encoding"),
          Arguments.of("postgresql://alex:AbC123dEf@host/db%g1", "invalid percent-encoding"),
          Arguments.of("postgresql://alex@host/db?password=AbC123dEf%", "invalid percent-encoding"),
          Arguments.of("postgresql://alex:AbC123dEf@host:port/db", "port that is not a number"),
          Arguments.of("postgresql://alex:AbC123dEf@host:54x32/db", "port that is not a number"),
          Arguments.of("postgresql://alex:AbC123dEf@h1:5432,h2:x/db", "port that is not a number"),
          Arguments.of("postgresql://alex:AbC123dEf@[::1/db", "IPv6 host without its closing ']'"),
          Arguments.of("postgresql://alex:AbC123dEf@[::1]5432/db", "unexpected text after an IPv6 host"),
          Arguments.of("postgresql://alex:AbC123dEf@[::1]:x/db", "port that is not a number"),
          Arguments.of("postgresql://alex:AbC123dEf@host/db?sslmode", "query parameter without a value"),
          Arguments.of("postgresql://alex:AbC123dEf@host/db?=AbC123dEf", "query parameter without a value"),
          // An unencoded '/' in the password ends the host part before the '@', as in libpq.
          Arguments.of("postgresql://alex:AbC1/23dEf@host/db", "port that is not a number"));
    }

    @ParameterizedTest
    @MethodSource("malformedUris")
    void refuses_a_malformed_uri_naming_the_input_without_showing_the_password(
        String text, String reason) {
      InputException e = failure(text);
      assertTrue(e.getMessage().contains(reason), e.getMessage());
      assertFalse(e.getMessage().contains("AbC123dEf"), e.getMessage());
      assertFalse(e.getMessage().contains("AbC1"), e.getMessage());
    }

    @Test
    void tells_how_to_write_a_literal_percent_sign() {
      assertTrue(failure("postgresql://alex:100%@h/db").getMessage().contains("%25"));
    }
  }

  @Nested
  class Redacted {
    @Test
    void shows_neons_connection_string_with_stars_for_the_password() {
      assertEquals(
          "postgresql://alex:***@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb"
              + "?sslmode=require&channel_binding=require",
          parse(NEON).redacted());
    }

    @Test
    void is_what_to_string_returns() {
      assertEquals(parse(NEON).redacted(), parse(NEON).toString());
    }

    @Test
    void normalises_the_postgres_prefix() {
      assertEquals(
          "postgresql://alex:***@h/db", parse("postgres://alex:AbC123dEf@h/db").redacted());
    }

    @Test
    void shows_no_stars_when_there_is_no_password() {
      assertEquals("postgresql://alex@h:5432/db", parse("postgresql://alex@h:5432/db").redacted());
      assertEquals("postgresql://h/db", parse("postgresql://h/db").redacted());
    }

    @Test
    void shows_stars_for_a_password_without_a_user() {
      assertEquals("postgresql://:***@h/db", parse("postgresql://:AbC123dEf@h/db").redacted());
    }

    @Test
    void shows_stars_in_the_user_info_for_a_password_given_as_a_query_parameter() {
      String redacted = parse("postgresql://alex@h/db?password=AbC123dEf&sslmode=require").redacted();
      assertEquals("postgresql://alex:***@h/db?sslmode=require", redacted);
    }

    @Test
    void shows_several_hosts_and_an_ipv6_host_with_their_ports() {
      assertEquals(
          "postgresql://alex:***@[::1]:5432,h2:5433,h3/db",
          parse("postgresql://alex:AbC123dEf@[::1]:5432,h2:5433,h3/db").redacted());
    }

    @Test
    void hides_a_password_holding_uri_delimiters() {
      ConnectionString connection = parse("postgresql://alex:a%3Ab%40c%2Fd%25e@h/db");
      String redacted = connection.redacted();
      assertEquals("postgresql://alex:***@h/db", redacted);
      assertFalse(redacted.contains("a:b@c/d%e"));
      assertFalse(redacted.contains("a%3Ab%40c%2Fd%25e"));
    }

    @Test
    void shows_the_keyword_form_with_the_password_last_as_stars() {
      assertEquals(
          "host=h dbname='my db' user=alex password=***",
          parse("host=h password='AbC 123' dbname='my db' user=alex").redacted());
    }

    @Test
    void quotes_keyword_values_that_need_it() {
      assertEquals(
          "options='-c x=\\'y\\'' dbname=''",
          parse("options='-c x=\\'y\\'' dbname=''").redacted());
    }

    @Test
    void shows_only_stars_for_a_keyword_form_holding_just_a_password() {
      assertEquals("password=***", parse("password=AbC123dEf").redacted());
    }

    static Stream<String> connectionStringsWithPasswordAbC123dEf() {
      return Stream.of(
          NEON,
          "postgres://alex:AbC123dEf@h/db",
          "postgresql://:AbC123dEf@h",
          "postgresql://alex@h/db?password=AbC123dEf",
          "postgresql://alex:AbC123dEf@[::1]:5432,h2/db?ssl=true",
          "host=h password=AbC123dEf",
          "password = 'AbC123dEf' dbname=neondb");
    }

    @ParameterizedTest
    @MethodSource("connectionStringsWithPasswordAbC123dEf")
    void never_contains_the_password_and_shows_stars_instead(String text) {
      String redacted = parse(text).redacted();
      assertFalse(redacted.contains("AbC123dEf"), redacted);
      assertTrue(redacted.contains("***"), redacted);
    }
  }

  @Nested
  class WithParameter {
    @Test
    void adds_a_new_parameter_at_the_end() {
      ConnectionString changed = parse(NEON).withParameter("application_name", "neon-backup");
      assertEquals(
          List.of("user", "host", "dbname", "sslmode", "channel_binding", "application_name"),
          List.copyOf(changed.parameters().keySet()));
      assertEquals(Optional.of("neon-backup"), changed.parameter("application_name"));
    }

    @Test
    void replaces_an_existing_parameter_in_its_place() {
      ConnectionString changed = parse(NEON).withParameter("sslmode", "verify-full");
      assertParameters(
          changed,
          "user", "alex",
          "host", "ep-cool-darkness-123456.us-east-2.aws.neon.tech",
          "dbname", "neondb",
          "sslmode", "verify-full",
          "channel_binding", "require");
    }

    @Test
    void leaves_the_original_unchanged() {
      ConnectionString original = parse(NEON);
      ConnectionString changed = original.withParameter("sslmode", "disable");
      assertNotSame(original, changed);
      assertEquals(Optional.of("require"), original.parameter("sslmode"));
    }

    @Test
    void keeps_the_password_and_the_form() {
      ConnectionString changed = parse(NEON).withParameter("connect_timeout", "10");
      assertEquals("AbC123dEf", password(changed));
      assertTrue(changed.redacted().startsWith("postgresql://alex:***@"), changed.redacted());
      assertEquals(
          "host=h connect_timeout=10 password=***",
          parse("host=h password=x").withParameter("connect_timeout", "10").redacted());
    }

    @Test
    void changes_the_database_through_with_database() {
      ConnectionString changed = parse(NEON).withDatabase("postgres");
      assertEquals(Optional.of("postgres"), changed.database());
      assertEquals(Optional.of("neondb"), parse(NEON).database());
    }

    @Test
    void gives_a_dbname_to_a_connection_that_fell_back_to_the_user() {
      ConnectionString changed = parse("postgresql://alex@h").withDatabase("neondb");
      assertEquals(Optional.of("neondb"), changed.database());
      assertEquals("postgresql://alex@h/neondb", changed.redacted());
    }

    @Test
    void replaces_the_password_through_with_password() {
      ConnectionString changed = parse(NEON).withPassword(Secret.of("n3w"));
      assertEquals("n3w", password(changed));
      assertEquals("AbC123dEf", password(parse(NEON)));
    }

    @Test
    void keeps_parameters_unmodifiable() {
      Map<String, String> parameters = parse(NEON).parameters();
      assertThrows(UnsupportedOperationException.class, () -> parameters.put("x", "y"));
    }
  }
}
