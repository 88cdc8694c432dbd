package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.postgres.SameDatabaseCheck.Look;
import dev.neonbackup.postgres.SameDatabaseCheck.Verdict;
import org.junit.jupiter.api.Test;

/** The decision from what the source saw; the servers themselves are in SameDatabaseIT. */
class SameDatabaseCheckTest {
  @Test
  void a_marker_seen_through_the_source_means_the_same_database_standby_or_not() {
    assertEquals(Verdict.SAME, SameDatabaseCheck.decide(new Look(true, false, false)));
    assertEquals(Verdict.SAME, SameDatabaseCheck.decide(new Look(true, true, false)));
    assertEquals(Verdict.SAME, SameDatabaseCheck.decide(new Look(true, true, true)));
  }

  @Test
  void a_primary_that_does_not_see_the_marker_is_another_database() {
    assertEquals(Verdict.DIFFERENT, SameDatabaseCheck.decide(new Look(false, false, false)));
  }

  @Test
  void a_standby_that_does_not_see_the_marker_yet_is_waited_for() {
    assertEquals(Verdict.WAIT, SameDatabaseCheck.decide(new Look(false, true, false)));
  }

  @Test
  void a_standby_that_replayed_past_the_marker_without_it_follows_another_server() {
    assertEquals(Verdict.DIFFERENT, SameDatabaseCheck.decide(new Look(false, true, true)));
  }

  @Test
  void markers_are_random_schema_names_that_need_no_quoting() {
    String one = SameDatabaseCheck.newMarker();
    assertTrue(one.matches("neon_backup_marker_[0-9a-f]{16}"), one);
    assertTrue(one.length() <= 63, one);
    assertNotEquals(one, SameDatabaseCheck.newMarker());
  }
}
