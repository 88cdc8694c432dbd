package dev.neonbackup.neon;

import dev.neonbackup.failure.InputException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one-line message of a failed call: the input to change and Neon's own words. Pure: the caller
 * redacts Neon's words before they get here (and the exception's message once more).
 */
final class NeonErrors {
  private static final int MAX_QUOTE = 300;
  private static final Pattern LIMIT =
      Pattern.compile("limit|quota|too many|maximum|exceed", Pattern.CASE_INSENSITIVE);
  private static final Pattern TIME_WINDOW =
      Pattern.compile(
          "timestamp|retention|history|window|lsn|point in time|future", Pattern.CASE_INSENSITIVE);

  private NeonErrors() {}

  /** The message for an answer with HTTP {@code status}, after {@code tries} tries. */
  static String answered(Call call, int status, String neonMessage, int tries) {
    String said = quote(status, neonMessage);
    if (status == 401) {
      return "neon-api-key was refused by the Neon API while "
          + call.what()
          + " "
          + said
          + ": set a valid API key (a secret in the action's with: block, or --neon-api-key)";
    }
    if (status == 403) {
      return "neon-api-key may not be used for "
          + call.what()
          + " "
          + said
          + ": the key has no access to it (check neon-project-id and the key's organization)";
    }
    if (status == 404) {
      return notFound(call, said);
    }
    if (call.snapshotTimestamp().isPresent()
        && (status == 400 || status == 422)
        && TIME_WINDOW.matcher(neonMessage).find()) {
      return "snapshot-timestamp "
          + call.snapshotTimestamp().get()
          + " is outside the project's restore window "
          + said
          + ": pick a time within the project's history retention, and not in the future";
    }
    if (status >= 400 && status < 500 && LIMIT.matcher(neonMessage).find()) {
      return "a Neon limit was reached while " + call.what() + " " + said;
    }
    if (status >= 500 || status == 429 || status == 423) {
      return "the Neon API failed " + call.what() + " " + said + ", " + triesText(tries);
    }
    return "the Neon API refused " + call.what() + " " + said;
  }

  /** The message for a call that got no answer at all. */
  static String noAnswer(Call call, String trouble, String host, int tries) {
    return "no answer from the Neon API at "
        + host
        + " while "
        + call.what()
        + " ("
        + trouble
        + ", "
        + triesText(tries)
        + "): check neon-api-url and the network";
  }

  /** Whether a refused branch creation is about {@code expires_at}, which some accounts lack. */
  static boolean refusesExpiry(int status, String neonMessage) {
    return (status == 400 || status == 422)
        && neonMessage.toLowerCase(Locale.ROOT).contains("expires_at");
  }

  private static String notFound(Call call, String said) {
    Call.Subject subject = call.subject();
    String thing = subject.noun() + " '" + call.subjectValue() + "'";
    if (subject.inputName().isEmpty()) {
      return "the Neon API found no " + thing + " while " + call.what() + " " + said;
    }
    return subject.inputName()
        + ": the Neon API found no "
        + thing
        + " that this key can see "
        + said
        + ": check "
        + subject.inputName()
        + (subject == Call.Subject.BRANCH ? " (a branch id br-... or a branch name)" : "");
  }

  /** "(HTTP 422: Neon's words)", on one line and not too long. */
  static String quote(int status, String neonMessage) {
    String said = oneLine(neonMessage);
    return said.isEmpty() ? "(HTTP " + status + ")" : "(HTTP " + status + ": " + said + ")";
  }

  /** Neon's words on one line, at most {@value #MAX_QUOTE} characters. */
  static String oneLine(String neonMessage) {
    String line = neonMessage.replaceAll("[\\r\\n\\t]+", " ").strip();
    return line.length() > MAX_QUOTE ? line.substring(0, MAX_QUOTE) + "..." : line;
  }

  private static String triesText(int tries) {
    return tries + (tries == 1 ? " try" : " tries");
  }

  /**
   * A 409 to restore's create of its target-branch: another client made a branch of the name after
   * the check (BranchCreation never takes it). The same bad input as a name that existed at the
   * check (exit 2), not a failure of the Neon API.
   */
  static InputException targetNameTaken(String name, String project, NeonException e) {
    return new InputException(
        NeonInputs.TARGET_BRANCH + " '" + name + "' exists in project '" + project + "': another"
            + " client made a branch of that name after this run checked; no branch was created,"
            + " choose another name (Neon: " + e.getMessage() + ")");
  }

  /** The account refused the expiry that target-branch-ttl asked for: nothing was made. */
  static NeonException expiryRefused(String name, NeonException e) {
    return new NeonException(
        "the Neon API refused an expiry for branch '" + name + "' "
            + quote(e.status(), e.neonMessage())
            + ": no branch was created; give a shorter " + NeonInputs.TARGET_BRANCH_TTL
            + " or leave it out (the branch then stays until deleted)",
        e.status(), e.neonMessage(), false);
  }
}
