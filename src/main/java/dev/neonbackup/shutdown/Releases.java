package dev.neonbackup.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the releases of a cancel, step by step (processes, then uploads and branches, then files),
 * those of one step at once, each step within its budget, so the whole stays inside the runner's
 * grace period. Each resource has one verdict: released, failed (and why), or no answer in time.
 */
final class Releases {
  private static final Duration LOCAL_BUDGET = Duration.ofSeconds(2);
  private static final String RELEASED = "";

  private Releases() {}

  static CancelOutcome run(
      List<ShutdownPath.Resource> resources,
      Duration networkBudget,
      List<String> published,
      List<String> unfinished) {
    Map<ShutdownPath.Resource, String> verdicts = new ConcurrentHashMap<>();
    int lastStep = ShutdownPath.Kind.FILE.step();
    for (int step = 0; step <= lastStep; step++) {
      int current = step;
      List<ShutdownPath.Resource> ofStep =
          resources.stream().filter(r -> r.kind().step() == current).toList();
      boolean remote = !ofStep.isEmpty() && ofStep.get(0).kind().remote();
      runAll(ofStep, remote ? networkBudget : LOCAL_BUDGET, verdicts);
    }
    List<String> released = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (ShutdownPath.Kind kind : ShutdownPath.Kind.values()) {
      for (ShutdownPath.Resource resource : resources) {
        String verdict = verdicts.get(resource);
        if (resource.kind() != kind || verdict == null) {
          continue;
        }
        if (verdict.equals(RELEASED)) {
          released.add(resource.description());
        } else {
          failed.add(resource.description() + " (" + verdict + ")");
        }
      }
    }
    return new CancelOutcome(List.copyOf(released), List.copyOf(failed), published, unfinished);
  }

  private static void runAll(
      List<ShutdownPath.Resource> resources,
      Duration budget,
      Map<ShutdownPath.Resource, String> verdicts) {
    if (resources.isEmpty()) {
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            resources.size(),
            runnable -> {
              Thread thread = new Thread(runnable, "cancel-release");
              thread.setDaemon(true);
              return thread;
            });
    resources.forEach(resource -> pool.submit(() -> release(resource, verdicts)));
    pool.shutdown();
    try {
      pool.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String late =
        String.format(Locale.ROOT, "no answer within %.1f s", budget.toMillis() / 1000.0);
    resources.forEach(resource -> verdicts.putIfAbsent(resource, late));
    pool.shutdownNow();
  }

  private static void release(
      ShutdownPath.Resource resource, Map<ShutdownPath.Resource, String> verdicts) {
    try {
      resource.release().run();
      verdicts.putIfAbsent(resource, RELEASED);
    } catch (Exception e) {
      verdicts.putIfAbsent(resource, String.valueOf(e.getMessage()));
    }
  }
}
