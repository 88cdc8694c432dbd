package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseSelectionTest {
  private static final List<String> ON_SERVER = List.of("analytics", "neondb", "postgres");

  @Test
  void empty_means_the_database_of_the_url() {
    DatabaseSelection selection = DatabaseSelection.parse(null, null);
    assertTrue(selection.isDefault());
    assertEquals(List.of("neondb"), selection.resolve("neondb", ON_SERVER));
  }

  @Test
  void all_means_every_database_on_the_server_minus_the_excluded() {
    assertEquals(ON_SERVER, DatabaseSelection.parse("all", "").resolve("neondb", ON_SERVER));
    assertEquals(
        List.of("analytics", "neondb"),
        DatabaseSelection.parse(" ALL ", "postgres").resolve("neondb", ON_SERVER));
  }

  @Test
  void a_list_is_taken_in_order_without_duplicates() {
    assertEquals(
        List.of("b", "a"), DatabaseSelection.parse(" b, a ,b", null).resolve("neondb", ON_SERVER));
  }

  @Test
  void excluding_everything_is_an_input_error_naming_the_input() {
    InputException error =
        assertThrows(
            InputException.class,
            () -> DatabaseSelection.parse("a", "a").resolve("neondb", ON_SERVER));
    assertTrue(error.getMessage().startsWith("exclude-databases"), error.getMessage());
  }

  @Test
  void an_empty_name_in_a_list_is_refused() {
    InputException error =
        assertThrows(InputException.class, () -> DatabaseSelection.parse("a,,b", null));
    assertTrue(error.getMessage().startsWith("databases"), error.getMessage());
  }

  @Test
  void names_from_the_server_are_read_from_hex_so_a_line_break_stays_inside_one_name() {
    assertEquals(
        List.of("a\nb", "c\rd", "Ledger ü"),
        DatabaseSelection.namesFromHex(List.of("610a62", "630d64", "4c656467657220c3bc")));
  }

  @Test
  void a_name_with_a_line_break_is_refused_by_name_on_one_line() {
    for (String name : List.of("a\nb", "a\rb", "a\r\n::error::x")) {
      dev.neonbackup.failure.FailureException refused =
          assertThrows(
              dev.neonbackup.failure.FailureException.class,
              () -> DatabaseSelection.requireBackupable(name));
      assertEquals(dev.neonbackup.failure.FailureKind.DATABASE, refused.kind());
      assertTrue(refused.getMessage().contains("\"" + DatabaseSelection.shown(name) + "\""));
      assertTrue(refused.getMessage().lines().count() == 1, refused.getMessage());
    }
    DatabaseSelection.requireBackupable("a\u2028b tab\there");
    assertEquals("a\\r\\nb \\\\n", DatabaseSelection.shown("a\r\nb \\n"));
  }
}
