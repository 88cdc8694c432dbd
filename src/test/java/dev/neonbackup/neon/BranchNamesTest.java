package dev.neonbackup.neon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BranchNamesTest {
  private static final Instant NOW = Instant.parse("2026-11-21T03:15:00Z");

  private static Branch branch(
      String name, Optional<Instant> created, Optional<Instant> expires, boolean isDefault) {
    return new Branch(
        "br-" + name.hashCode(),
        name,
        Optional.of("br-main"),
        Optional.empty(),
        Optional.empty(),
        isDefault,
        false,
        "ready",
        created,
        expires);
  }

  private static Branch ours(Duration age, Optional<Instant> expires) {
    Instant created = NOW.minus(age);
    return branch(BranchNames.forRun(created), Optional.of(created), expires, false);
  }

  @Test
  void the_name_is_the_prefix_and_the_run_s_utc_timestamp_in_basic_form() {
    assertEquals(
        "neon-backup-20261121T031500Z",
        BranchNames.forRun(Instant.parse("2026-11-21T03:15:00.987654Z")));
    assertEquals(
        "neon-backup-20260102T000909Z", BranchNames.forRun(Instant.parse("2026-01-02T00:09:09Z")));
  }

  @Test
  void only_the_exact_form_is_ours() {
    assertTrue(BranchNames.isOurs("neon-backup-20261121T031500Z"));
    for (String name :
        List.of(
            "neon-backup-",
            "neon-backup-20261121T031500",
            "neon-backup-20261121T031500Z-mine",
            "my-neon-backup-20261121T031500Z",
            "neon-backup-2026112T031500Z",
            "neon-backup-latest",
            "Neon-Backup-20261121T031500Z",
            "main")) {
      assertFalse(BranchNames.isOurs(name), name);
    }
  }

  @Test
  void rfc3339_is_utc_with_whole_seconds() {
    assertEquals(
        "2026-11-21T03:15:00Z", BranchNames.rfc3339(Instant.parse("2026-11-21T03:15:00.999Z")));
    assertEquals(
        "2026-11-21T09:15:07Z", BranchNames.rfc3339(Instant.parse("2026-11-21T09:15:07Z")));
  }

  @Test
  void sweeps_ours_that_expired_or_are_older_than_a_day() {
    Branch expired = ours(Duration.ofHours(7), Optional.of(NOW.minusSeconds(3600)));
    Branch expiringNow = ours(Duration.ofHours(6), Optional.of(NOW));
    Branch old = ours(Duration.ofHours(24).plusSeconds(1), Optional.empty());
    Branch oldButNotExpired = ours(Duration.ofHours(30), Optional.of(NOW.plusSeconds(60)));
    assertEquals(
        List.of(expired, expiringNow, old, oldButNotExpired),
        BranchNames.stale(List.of(expired, expiringNow, old, oldButNotExpired), NOW));
  }

  @Test
  void never_sweeps_a_live_branch_of_a_parallel_run() {
    Branch parallel = ours(Duration.ofMinutes(3), Optional.of(NOW.plus(Duration.ofHours(6))));
    Branch noExpiryYoung = ours(Duration.ofHours(23), Optional.empty());
    Branch exactlyADay = ours(Duration.ofHours(24), Optional.empty());
    assertEquals(List.of(), BranchNames.stale(List.of(parallel, noExpiryYoung, exactlyADay), NOW));
  }

  @Test
  void never_sweeps_other_names_the_default_a_protected_one_or_one_without_dates() {
    Instant longAgo = NOW.minus(Duration.ofDays(30));
    Branch other = branch("neon-backup-old", Optional.of(longAgo), Optional.of(longAgo), false);
    Branch named = branch("dev-20261121T031500Z", Optional.of(longAgo), Optional.empty(), false);
    Branch asDefault =
        branch(BranchNames.forRun(longAgo), Optional.of(longAgo), Optional.empty(), true);
    Branch guarded =
        new Branch(
            "br-p",
            BranchNames.forRun(longAgo),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            true,
            "ready",
            Optional.of(longAgo),
            Optional.empty());
    Branch undated = branch(BranchNames.forRun(longAgo), Optional.empty(), Optional.empty(), false);
    assertEquals(
        List.of(), BranchNames.stale(List.of(other, named, asDefault, guarded, undated), NOW));
  }

  @Test
  void the_create_body_follows_branch_create_request() {
    BranchRequest request =
        new BranchRequest(
            Optional.of("br-aged-salad-637688"),
            Optional.of(Instant.parse("2026-11-20T12:00:00.5Z")),
            "neon-backup-20261121T031500Z",
            Optional.of(Instant.parse("2026-11-21T09:15:00.25Z")));
    assertEquals(
        "{\"endpoints\":[{\"type\":\"read_write\"}],\"branch\":{\"parent_id\":\"br-aged-salad-637688\","
            + "\"parent_timestamp\":\"2026-11-20T12:00:00Z\",\"name\":\"neon-backup-20261121T031500Z\","
            + "\"expires_at\":\"2026-11-21T09:15:00Z\"}}",
        NeonJson.createBody(request));
    assertEquals(
        "{\"endpoints\":[{\"type\":\"read_write\"}],\"branch\":{\"name\":\"b\"}}",
        NeonJson.createBody(
            new BranchRequest(Optional.empty(), Optional.empty(), "b", Optional.empty())));
  }

  @org.junit.jupiter.api.Test
  void two_runs_in_the_same_second_get_names_of_their_own_which_a_sweep_still_knows() {
    Instant run = Instant.parse("2026-11-21T03:15:00Z");
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      String name = BranchNames.forRun(run, BranchNames.randomToken());
      org.junit.jupiter.api.Assertions.assertTrue(name.matches("neon-backup-20261121T031500Z-[0-9a-f]{6}"), name);
      org.junit.jupiter.api.Assertions.assertTrue(BranchNames.isOurs(name), name);
      names.add(name);
    }
    org.junit.jupiter.api.Assertions.assertTrue(names.size() >= 49, "random enough: " + names.size());
    org.junit.jupiter.api.Assertions.assertFalse(BranchNames.isOurs("neon-backup-20261121T031500Z-ABCDEF"));
    org.junit.jupiter.api.Assertions.assertFalse(BranchNames.isOurs("neon-backup-20261121T031500Z-abc"));
    org.junit.jupiter.api.Assertions.assertFalse(BranchNames.isOurs("neon-backup-20261121T031500Z-abcdef-x"));
  }
}
