package dev.neonbackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * heartbeat-url, notify-webhook-url and notify-on refused before anything runs: exit 2, one line
 * that names the input, and never the URL itself, whether given as a flag or as INPUT_*.
 */
class NotifyInputsTest {
  private record Run(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  private static Run backup(Map<String, String> inputs, String... args) {
    Map<String, String> environment = new HashMap<>(inputs);
    environment.put("INPUT_DATABASE-URL", "postgresql://neondb_owner:pw@127.0.0.1:1/neondb");
    environment.put("INPUT_S3-BUCKET", "backups");
    environment.put("INPUT_AWS-REGION", "us-east-1");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "backup";
    System.arraycopy(args, 0, all, 1, args.length);
    int status =
        Cli.create(environment, new PrintWriter(out), new PrintWriter(err), Clock.systemUTC())
            .execute(all);
    return new Run(status, out.toString(), err.toString());
  }

  private static void assertRefused(Run run, String expected, String value) {
    assertEquals(2, run.status(), run.toString());
    assertEquals("error: " + expected, run.err().strip(), run.toString());
    assertFalse(run.out().contains(value) || run.err().contains(value), run.toString());
  }

  @ParameterizedTest
  @CsvSource({
    "heartbeat-url, ftp://hc-ping.com/9f8e-secret-uuid",
    "heartbeat-url, hc-ping.com/9f8e-secret-uuid",
    "notify-webhook-url, hooks.slack.com/services/T0/B0/secret-token",
    "notify-webhook-url, https:///services/T0/B0/secret-token"
  })
  void a_url_that_is_no_http_url_with_a_host_exits_2_naming_the_input(String input, String value) {
    String expected =
        input
            + " must be an http or https URL with a host (the value is not shown: it is a secret)";
    assertRefused(backup(Map.of(), "--" + input, value), expected, value);
    assertRefused(
        backup(Map.of("INPUT_" + input.toUpperCase(java.util.Locale.ROOT), value)),
        expected,
        value);
  }

  @ParameterizedTest
  @CsvSource({"never", "on-failure"})
  void notify_on_other_than_failure_or_always_exits_2_naming_it(String value) {
    String expected = "notify-on must be failure or always (got '" + value + "')";
    assertEquals(2, backup(Map.of(), "--notify-on", value).status());
    assertEquals("error: " + expected, backup(Map.of(), "--notify-on", value).err().strip());
    assertEquals("error: " + expected, backup(Map.of("INPUT_NOTIFY-ON", value)).err().strip());
  }
}
