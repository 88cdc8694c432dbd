package dev.neonbackup.notify;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.neonbackup.backup.BackupResult;
import dev.neonbackup.backup.RunOutcome;
import dev.neonbackup.postgres.DatabaseSelection;
import dev.neonbackup.report.Units;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The words of the pings and the chat message: plain text in, plain text out. */
final class Messages {
  /** What healthchecks.io keeps of a ping's body. */
  static final int PING_BODY_LIMIT = 100_000;

  /** The exit status of a run a signal ended: 130 or 143, not known when the message goes out. */
  static final int CANCELLED = -1;

  private Messages() {}

  /** The one-line summary of a run that succeeded, the body of the success ping. */
  static String summary(RunOutcome outcome, Duration took) {
    List<BackupResult> results = outcome.results();
    String size = Units.bytes(totalSize(outcome)) + " in " + Units.seconds(seconds(took)) + " s";
    if (results.size() == 1) {
      BackupResult result = results.get(0);
      return "backed up "
          + DatabaseSelection.shown(result.database())
          + ": "
          + size
          + " to "
          + result.location().url();
    }
    return "backed up " + results.size() + " databases (" + databases(outcome) + "): " + size;
  }

  static String chatSuccess(RunOutcome outcome, Duration took, Optional<String> runLink) {
    return "Neon backup succeeded: "
        + escaped(databases(outcome))
        + "\nSize: "
        + Units.bytes(totalSize(outcome))
        + ", duration: "
        + Units.seconds(seconds(took))
        + " s"
        + link(runLink);
  }

  static String chatFailure(
      Optional<RunOutcome> outcome,
      String errorLine,
      int exitStatus,
      Duration took,
      Optional<String> runLink) {
    String headline =
        exitStatus == CANCELLED
            ? "Neon backup CANCELLED: "
            : "Neon backup FAILED (exit " + exitStatus + "): ";
    String duration = Units.seconds(seconds(took)) + " s";
    if (outcome.isEmpty() || databases(outcome.get()).isEmpty()) {
      return headline + escaped(errorLine) + "\nDuration: " + duration + link(runLink);
    }
    return headline
        + escaped(databases(outcome.get()))
        + "\nStored: "
        + Units.bytes(totalSize(outcome.get()))
        + ", duration: "
        + duration
        + "\nError: "
        + escaped(errorLine)
        + link(runLink);
  }

  /** {"text": ...}: what Slack's incoming webhooks and Discord's /slack endpoint take. */
  static String chatJson(String text) {
    try {
      return JSON.std.asString(Map.of("text", text));
    } catch (IOException e) {
      // A map of one string never fails to write.
      throw new UncheckedIOException(e);
    }
  }

  /** The body of a ping as UTF-8, cut to healthchecks.io's limit without splitting a character. */
  static byte[] pingBody(String text) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(PING_BODY_LIMIT, text.length() * 3L));
    encoder.encode(CharBuffer.wrap(text), bytes, true);
    byte[] body = new byte[bytes.position()];
    bytes.flip().get(body);
    return body;
  }

  private static String link(Optional<String> runLink) {
    return runLink.map(url -> "\nRun: " + url).orElse("");
  }

  /** Slack reads &, < and > as markup: text from outside has them escaped. */
  private static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** The databases of the run, stored or failed, in order; the roles are no database. */
  private static String databases(RunOutcome outcome) {
    Set<String> names = new LinkedHashSet<>();
    outcome.results().forEach(result -> names.add(DatabaseSelection.shown(result.database())));
    outcome.failures().keySet().stream()
        .filter(name -> !name.equals(RunOutcome.ROLES))
        .forEach(name -> names.add(DatabaseSelection.shown(name)));
    return String.join(", ", names);
  }

  private static long totalSize(RunOutcome outcome) {
    return outcome.results().stream().mapToLong(BackupResult::sizeBytes).sum();
  }

  private static double seconds(Duration took) {
    return took.toMillis() / 1000.0;
  }
}
