package dev.neonbackup.neon;

import dev.neonbackup.report.Reporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Waits for a new branch: for every operation its creation started to settle (polled one by one:
 * Neon has no list of a branch's operations), or, for a branch found by name, for its state to be
 * {@code ready}. Polls with growing pauses, at most {@link #LIMIT} in all.
 */
final class OperationWait {
  static final Duration LIMIT = Duration.ofMinutes(10);
  static final Duration FIRST_POLL = Duration.ofMillis(500);
  static final Duration MAX_POLL = Duration.ofSeconds(5);

  private final NeonApi api;
  private final String projectId;
  private final Reporter reporter;

  OperationWait(NeonApi api, String projectId, Reporter reporter) {
    this.api = api;
    this.projectId = projectId;
    this.reporter = reporter;
  }

  /** The pause before poll number {@code polls} (1-based): 0.5 s doubling, at most 5 s. */
  static Duration pollPause(int polls) {
    Duration pause = FIRST_POLL.multipliedBy(1L << Math.max(0, Math.min(polls - 1, 4)));
    return pause.compareTo(MAX_POLL) > 0 ? MAX_POLL : pause;
  }

  /** Until every one of {@code operations} has finished; one that failed is a NeonException. */
  void forOperations(Branch branch, List<Operation> operations) {
    List<Operation> pending = new ArrayList<>(operations);
    String actions = String.join(", ", operations.stream().map(Operation::action).toList());
    until(
        "branch " + branch.describe() + " (" + actions + ")",
        () -> {
          List<Operation> now = new ArrayList<>();
          for (Operation operation : pending) {
            Operation current =
                operation.settled() || operation.failed()
                    ? operation
                    : api.operation(projectId, operation.id());
            if (current.failed()) {
              throw api.redacted(failed(branch, current));
            }
            if (!current.settled()) {
              now.add(current);
            }
          }
          pending.clear();
          pending.addAll(now);
          return pending.isEmpty() ? "" : describe(pending);
        });
  }

  /** Until the branch's state is {@code ready} (a branch found by name after a lost answer). */
  void forReadyState(Branch branch) {
    until(
        "branch " + branch.describe(),
        () -> {
          String state = api.branch(projectId, branch.id()).currentState();
          return state.equals("ready") ? "" : "state " + state;
        });
  }

  /** Polls {@code stillWaiting} (which answers what is left, or "" once done) until done. */
  private void until(String what, Supplier<String> stillWaiting) {
    Clock clock = api.clock();
    Instant started = clock.instant();
    String left = stillWaiting.get();
    if (left.isEmpty()) {
      return;
    }
    reporter.info("waiting for Neon to prepare " + what);
    for (int polls = 1; !left.isEmpty(); polls++) {
      Duration waited = Duration.between(started, clock.instant());
      if (waited.compareTo(LIMIT) >= 0) {
        throw new NeonException(
            "Neon did not prepare "
                + what
                + " within "
                + LIMIT.toMinutes()
                + " min (still waiting for "
                + left
                + ")",
            0,
            "",
            false);
      }
      try {
        api.sleeper().sleep(pollPause(polls));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NeonException("interrupted while waiting for " + what, 0, "", false);
      }
      left = stillWaiting.get();
    }
    long seconds = Duration.between(started, clock.instant()).toSeconds();
    reporter.info(String.format(Locale.ROOT, "%s is ready after %d s", what, seconds));
  }

  private static String describe(List<Operation> pending) {
    return String.join(", ", pending.stream().map(op -> op.action() + " " + op.status()).toList());
  }

  private static NeonException failed(Branch branch, Operation operation) {
    return new NeonException(
        "Neon could not prepare branch "
            + branch.describe()
            + ": operation "
            + operation.action()
            + " ("
            + operation.id()
            + ") "
            + operation.status()
            + operation.error().map(error -> ": " + NeonErrors.oneLine(error)).orElse(""),
        0,
        operation.error().orElse(""),
        false);
  }
}
