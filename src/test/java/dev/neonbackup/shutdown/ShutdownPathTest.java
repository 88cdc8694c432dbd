package dev.neonbackup.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A fresh path per test: the process's own one is for the real signal. */
class ShutdownPathTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  private final ShutdownPath path = new ShutdownPath();
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());

  @Test
  void releases_processes_then_uploads_then_files_whatever_the_order_of_registration() {
    path.register(ShutdownPath.Kind.FILE, "a file", () -> order.add("file"));
    path.register(ShutdownPath.Kind.UPLOAD, "an upload", () -> order.add("upload"));
    path.register(ShutdownPath.Kind.PROCESS, "pg_dump", () -> order.add("process"));
    CancelOutcome outcome = path.cancel(SHORT, SHORT);
    assertEquals(List.of("process", "upload", "file"), order);
    assertEquals(3, outcome.released().size(), outcome.describe());
    assertTrue(path.cancelling());
  }

  @Test
  void a_branch_is_deleted_after_the_processes_and_at_once_with_the_uploads_in_one_budget() {
    CountDownLatch never = new CountDownLatch(1);
    path.register(ShutdownPath.Kind.FILE, "a file", () -> order.add("file"));
    path.register(
        ShutdownPath.Kind.BRANCH,
        "the Neon branch neon-backup-20261121T031500Z",
        () -> {
          order.add("branch");
          never.await(1, TimeUnit.MINUTES);
        });
    path.register(
        ShutdownPath.Kind.UPLOAD,
        "an upload",
        () -> {
          order.add("upload");
          never.await(1, TimeUnit.MINUTES);
        });
    path.register(ShutdownPath.Kind.PROCESS, "pg_dump", () -> order.add("process"));
    long started = System.nanoTime();
    CancelOutcome outcome = path.cancel(SHORT, Duration.ofMillis(500));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals("process", order.get(0));
    assertEquals(List.of("branch", "upload"), order.subList(1, 3).stream().sorted().toList());
    assertEquals("file", order.get(3));
    assertTrue(millis < 1_000, "the branch and the upload shared one budget: " + millis + " ms");
    assertEquals(
        List.of(
            "an upload (no answer within 0.5 s)",
            "the Neon branch neon-backup-20261121T031500Z (no answer within 0.5 s)"),
        outcome.notReleased());
  }

  @Test
  void a_resource_released_the_ordinary_way_is_not_released_again() {
    ShutdownPath.Registration registration =
        path.register(ShutdownPath.Kind.FILE, "a file", () -> order.add("file"));
    registration.close();
    assertEquals("nothing was left to clean up", path.cancel(SHORT, SHORT).describe());
    assertEquals(List.of(), order);
  }

  @Test
  void names_what_could_not_be_released_and_why() {
    path.register(
        ShutdownPath.Kind.UPLOAD,
        "the unfinished upload to s3://b/k",
        () -> {
          throw new IllegalStateException("connection refused");
        });
    String said = path.cancel(SHORT, SHORT).describe();
    assertEquals("could NOT clean up: the unfinished upload to s3://b/k (connection refused)", said);
  }

  @Test
  void a_release_that_takes_longer_than_its_budget_is_named_and_does_not_hold_the_exit() {
    CountDownLatch never = new CountDownLatch(1);
    path.register(ShutdownPath.Kind.UPLOAD, "a slow abort", () -> never.await(1, TimeUnit.MINUTES));
    long started = System.nanoTime();
    CancelOutcome outcome = path.cancel(SHORT, Duration.ofMillis(500));
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000);
    assertEquals(List.of("a slow abort (no answer within 0.5 s)"), outcome.notReleased());
  }

  @Test
  void nothing_is_published_once_cancelling() {
    path.cancel(SHORT, SHORT);
    CancelledException refused =
        assertThrows(CancelledException.class, () -> path.publish("s3://b/k.dump"));
    assertTrue(refused.getMessage().contains("s3://b/k.dump"));
  }

  @Test
  void nothing_new_is_created_once_cancelling() {
    path.cancel(SHORT, SHORT);
    assertThrows(CancelledException.class, () -> path.creating("starting pg_dump"));
  }

  @Test
  void what_was_being_created_when_the_signal_came_is_released_and_named() throws Exception {
    ShutdownPath.Creation creation = path.creating("starting the upload");
    Thread creator =
        new Thread(
            () -> {
              sleep(300); // the upload is created after the signal took the list
              try (creation) {
                assertThrows(
                    CancelledException.class,
                    () -> path.register(ShutdownPath.Kind.UPLOAD, "the upload", () -> order.add("abort")));
              }
            });
    creator.start();
    CancelOutcome outcome = path.cancel(SHORT, SHORT);
    creator.join();
    assertEquals(List.of("abort"), order);
    assertEquals(List.of("the upload"), outcome.released());
  }

  @Test
  void waits_for_a_publication_to_end_and_says_it_was_published() throws Exception {
    ShutdownPath.Section section = path.publish("s3://b/k.dump");
    Thread writer =
        new Thread(
            () -> {
              sleep(200);
              section.published();
              section.close();
            });
    writer.start();
    CancelOutcome outcome = path.cancel(Duration.ofSeconds(5), SHORT);
    writer.join();
    assertEquals(
        List.of("s3://b/k.dump was published with its manifest before the signal"),
        outcome.published());
    assertEquals(List.of(), outcome.unfinished());
    assertTrue(outcome.describe().contains("was published with its manifest"), outcome.describe());
  }

  @Test
  void says_clearly_when_a_publication_did_not_end_in_time() {
    path.publish("s3://b/k.dump");
    CancelOutcome outcome = path.cancel(Duration.ofMillis(100), SHORT);
    assertEquals(1, outcome.unfinished().size());
    assertTrue(outcome.unfinished().get(0).startsWith("s3://b/k.dump was being published"));
    assertTrue(outcome.describe().contains("may be stored without its manifest"), outcome.describe());
  }

  @Test
  void an_object_without_a_manifest_is_told_as_stored_or_maybe_stored() {
    ShutdownPath.Section roles = path.publishAlone("the roles script s3://b/r.sql");
    roles.published();
    roles.close();
    path.publishAlone("the roles script s3://b/r2.sql");
    CancelOutcome outcome = path.cancel(Duration.ofMillis(100), SHORT);
    assertEquals(List.of("the roles script s3://b/r.sql was stored before the signal"), outcome.published());
    assertEquals(
        List.of("the roles script s3://b/r2.sql was being stored: it may or may not be there"),
        outcome.unfinished());
    assertThrows(CancelledException.class, () -> path.publishAlone("the roles script s3://b/r3.sql"));
  }

  @Test
  void a_long_wait_for_a_publication_shortens_the_network_budget_but_never_below_one_try() {
    assertEquals(Duration.ofSeconds(2), ShutdownPath.shrink(Duration.ofSeconds(2), Duration.ofMillis(900)));
    assertEquals(Duration.ofMillis(1500), ShutdownPath.shrink(Duration.ofSeconds(2), Duration.ofMillis(1500)));
    assertEquals(Duration.ofMillis(500), ShutdownPath.shrink(Duration.ofSeconds(2), Duration.ofSeconds(3)));
  }

  @Test
  void an_ordinary_exit_is_told_apart_from_a_signal() {
    assertFalse(path.exitingOnItsOwn());
    path.exitingNormally();
    assertTrue(path.exitingOnItsOwn());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
