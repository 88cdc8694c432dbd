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
}
