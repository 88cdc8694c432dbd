package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NeonRulesTest {
  private static final String POOLED =
      "postgresql://alex:AbC123dEf@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require";

  private static ConnectionString parse(String url) {
    return ConnectionString.parse(url, "database-url");
  }

  @Test
  void switches_a_pooled_neon_host_to_the_direct_one_with_a_warning() {
    NeonRules.Adjusted adjusted = NeonRules.apply(parse(POOLED), false);
    assertEquals(
        "ep-cool-darkness-123456.us-east-2.aws.neon.tech",
        adjusted.connection().parameter("host").orElseThrow());
    assertEquals(1, adjusted.warnings().size());
    assertTrue(adjusted.warnings().get(0).contains("pooler"));
    assertTrue(adjusted.warnings().get(0).contains("allow-pooled"));
    assertFalse(adjusted.warnings().get(0).contains("AbC123dEf"));
  }

  @Test
  void keeps_every_other_parameter_and_the_password() {
    ConnectionString direct = NeonRules.apply(parse(POOLED), false).connection();
    assertEquals("require", direct.parameter("sslmode").orElseThrow());
    assertEquals("require", direct.parameter("channel_binding").orElseThrow());
    assertEquals("neondb", direct.parameter("dbname").orElseThrow());
    assertEquals("alex", direct.parameter("user").orElseThrow());
    assertEquals("AbC123dEf", direct.password().orElseThrow().reveal());
  }

  @Test
  void allow_pooled_keeps_the_pooled_host_and_still_warns() {
    NeonRules.Adjusted adjusted = NeonRules.apply(parse(POOLED), true);
    assertEquals(
        "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech",
        adjusted.connection().parameter("host").orElseThrow());
    assertEquals(1, adjusted.warnings().size());
  }

  @Test
  void leaves_hosts_that_are_not_neons_alone() {
    for (String url :
        List.of(
            "postgresql://u:p@db-pooler.example.com/app",
            "postgresql://u:p@ep-x-pooler.example.com/app",
            "postgresql://u:p@ep-x-pooler.neon.tech.evil.com/app",
            "postgresql://u:p@127.0.0.1:5432/app")) {
      NeonRules.Adjusted adjusted = NeonRules.apply(parse(url), false);
      assertEquals(parse(url).parameters(), adjusted.connection().parameters(), url);
      assertEquals(List.of(), adjusted.warnings(), url);
    }
  }

  @Test
  void a_direct_neon_host_is_not_touched_except_for_tls() {
    NeonRules.Adjusted adjusted =
        NeonRules.apply(parse("postgresql://u:p@ep-a-1.eu-central-1.aws.neon.tech/db"), false);
    assertEquals("ep-a-1.eu-central-1.aws.neon.tech", adjusted.connection().parameter("host").orElseThrow());
    assertEquals("require", adjusted.connection().parameter("sslmode").orElseThrow());
    assertEquals(List.of(), adjusted.warnings());
    assertEquals(1, adjusted.notes().size());
  }

  @Test
  void an_explicit_sslmode_is_kept_even_on_neon() {
    NeonRules.Adjusted adjusted =
        NeonRules.apply(parse("postgresql://u:p@ep-a-1.aws.neon.tech/db?sslmode=verify-full"), false);
    assertEquals("verify-full", adjusted.connection().parameter("sslmode").orElseThrow());
    assertEquals(List.of(), adjusted.notes());
  }

  @Test
  void sslmode_is_not_added_for_other_hosts() {
    NeonRules.Adjusted adjusted = NeonRules.apply(parse("postgresql://u:p@localhost/db"), false);
    assertTrue(adjusted.connection().parameter("sslmode").isEmpty());
  }

  @Test
  void the_key_value_form_is_handled_too() {
    NeonRules.Adjusted adjusted =
        NeonRules.apply(
            parse("host=ep-x-9-pooler.us-east-1.aws.neon.tech dbname=db user=u password=p"), false);
    assertEquals("ep-x-9.us-east-1.aws.neon.tech", adjusted.connection().parameter("host").orElseThrow());
    assertEquals("require", adjusted.connection().parameter("sslmode").orElseThrow());
  }

  @Test
  void the_roles_script_loses_neons_system_roles_only() {
    String script =
        String.join(
            "\n",
            "--",
            "-- Roles",
            "--",
            "CREATE ROLE cloud_admin;",
            "ALTER ROLE cloud_admin WITH SUPERUSER;",
            "CREATE ROLE neon_superuser;",
            "CREATE ROLE neondb_owner;",
            "ALTER ROLE neondb_owner WITH LOGIN;",
            "GRANT neon_superuser TO neondb_owner GRANTED BY cloud_admin;",
            "CREATE ROLE \"neon_superuser_fan\";",
            "CREATE ROLE app_reader;");
    String kept = NeonRules.withoutSystemRoles(script);
    assertEquals(
        String.join(
            "\n",
            "--",
            "-- Roles",
            "--",
            "CREATE ROLE neondb_owner;",
            "ALTER ROLE neondb_owner WITH LOGIN;",
            "CREATE ROLE \"neon_superuser_fan\";",
            "CREATE ROLE app_reader;"),
        kept);
  }
}
