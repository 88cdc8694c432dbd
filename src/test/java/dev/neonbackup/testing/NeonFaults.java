package dev.neonbackup.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * What the Neon API stand-in was told to get wrong: scripted answers for the next matching requests
 * (before authentication, as a gateway's 429 or 503 would be), and what to do with the response to
 * the next branch creation once the branch exists.
 */
final class NeonFaults {
  /** A scripted answer for the next {@code remaining} requests that match. */
  record Fault(
      String method,
      Pattern path,
      int status,
      Map<String, String> headers,
      String body,
      int[] remaining) {}

  /** What happens to the next create response after the branch was made. */
  enum CreateAnswer {
    ANSWER,
    DELAY,
    DROP
  }

  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private CreateAnswer createAnswer = CreateAnswer.ANSWER;
  private Duration createDelay = Duration.ZERO;

  void add(
      String method,
      String pathRegex,
      int status,
      Map<String, String> headers,
      String body,
      int times) {
    faults.add(
        new Fault(
            method,
            Pattern.compile(pathRegex),
            status,
            Map.copyOf(headers),
            body,
            new int[] {times}));
  }

  /** The first scripted answer for {@code method path} that has uses left, using one up. */
  synchronized Optional<Fault> take(String method, String path) {
    for (Fault fault : faults) {
      if (fault.remaining()[0] > 0
          && fault.method().equalsIgnoreCase(method)
          && fault.path().matcher(path).matches()) {
        fault.remaining()[0]--;
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }

  synchronized void afterNextCreate(CreateAnswer answer, Duration delay) {
    createAnswer = answer;
    createDelay = delay;
  }

  /** What to do with the response to this create call; the next is answered normally again. */
  synchronized Map.Entry<CreateAnswer, Duration> takeCreateAnswer() {
    Map.Entry<CreateAnswer, Duration> answer = Map.entry(createAnswer, createDelay);
    createAnswer = CreateAnswer.ANSWER;
    createDelay = Duration.ZERO;
    return answer;
  }
}
