package dev.neonbackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void without_an_earlier_backup_it_says_how_much_and_how_fast() {
    assertEquals("progress: 10.0 MiB so far, 1.0 MB/s", ProgressLine.unknown().line(10 * MIB, 10.48576));
    assertEquals(ProgressLine.unknown(), ProgressLine.likePrevious(0));
    assertEquals(ProgressLine.unknown(), ProgressLine.ofTotal(0));
  }

  @Test
  void against_the_previous_backup_it_guesses_the_share_and_the_time_left() {
    ProgressLine line = ProgressLine.likePrevious(100 * MIB);
    assertEquals(
        "progress: 25.0 MiB so far, 2.6 MB/s; 25% of the previous backup's 100.0 MiB, about 30 s left",
        line.line(25 * MIB, 10));
    assertEquals(
        "progress: 100.0 MiB so far, 2.6 MB/s; 100% of the previous backup's 100.0 MiB",
        line.line(100 * MIB, 40));
  }

  @Test
  void past_the_previous_backup_it_stops_guessing() {
    assertEquals(
        "progress: 100.0 MiB so far, 1.0 MB/s; more than the previous backup's 100.0 MiB",
        ProgressLine.likePrevious(100 * MIB - 1).line(100 * MIB, 104.8576));
  }

  @Test
  void a_percentage_is_floored_so_100_means_done() {
    ProgressLine line = ProgressLine.ofTotal(1000);
    assertEquals("progress: 999 B of 1000 B (99%), 0.0 MB/s, about 1 s left", line.line(999, 1));
    assertEquals("progress: 1000 B of 1000 B (100%), 0.0 MB/s", line.line(1000, 1));
  }

  @Test
  void nothing_read_yet_gives_no_estimate() {
    assertEquals("progress: 0 B of 1000 B (0%), 0.0 MB/s", ProgressLine.ofTotal(1000).line(0, 5));
    assertEquals("progress: 0 B of 1000 B (0%), 0.0 MB/s", ProgressLine.ofTotal(1000).line(0, 0));
  }

  @ParameterizedTest
  @CsvSource({"0.2, 1 s", "1, 1 s", "59, 59 s", "59.5, 1 min", "60, 1 min", "61, 2 min", "3599, 1 h 0 min",
      "3600, 1 h 0 min", "4800, 1 h 20 min", "90000, 25 h 0 min"})
  void durations_are_rounded_up_to_what_a_reader_needs(double seconds, String shown) {
    assertEquals(shown, ProgressLine.duration(seconds));
  }

  @Test
  void several_databases_say_whose_progress_it_is() {
    assertEquals("[ledger] progress: 1.0 KiB so far, 0.0 MB/s", ProgressLine.unknown().labelled("ledger").line(1024, 1));
  }
}
