package dev.neonbackup.shutdown;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cancel did: resources released, resources that could not be, and one sentence for each
 * object published before the signal and each whose publishing was still under way.
 */
public record CancelOutcome(
    List<String> released, List<String> notReleased, List<String> published, List<String> unfinished) {

  /** The same, with what was created after the signal and released then. */
  CancelOutcome with(List<String> alsoReleased, List<String> alsoNotReleased) {
    List<String> allReleased = new ArrayList<>(released);
    allReleased.addAll(alsoReleased);
    List<String> allNotReleased = new ArrayList<>(notReleased);
    allNotReleased.addAll(alsoNotReleased);
    return new CancelOutcome(
        List.copyOf(allReleased), List.copyOf(allNotReleased), published, unfinished);
  }

  /** One sentence for the cancel message. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!released.isEmpty()) {
      parts.add("cleaned up: " + String.join(", ", released));
    }
    if (!notReleased.isEmpty()) {
      parts.add("could NOT clean up: " + String.join(", ", notReleased));
    }
    parts.addAll(published);
    parts.addAll(unfinished);
    return parts.isEmpty() ? "nothing was left to clean up" : String.join("; ", parts);
  }
}
