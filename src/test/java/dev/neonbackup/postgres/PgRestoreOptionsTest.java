package dev.neonbackup.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.neonbackup.failure.InputException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PgRestoreOptionsTest {
  @Test
  void keeps_the_options_a_restore_may_take() {
    assertEquals(
        List.of("--single-transaction", "--exit-on-error", "-n", "public", "--no-comments", "-Fc"),
        PgRestoreOptions.parse("--single-transaction --exit-on-error -n public --no-comments -Fc"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-C", "--create", "-cC", "-f out.sql", "--file=out.sql", "-l", "--list", "-j 4",
        "--jobs=4", "-d db", "--dbname=x", "-h h", "-p 5432", "-U u", "-W", "-Fd",
        "--format=tar", "--help", "-V", "restored", "--creat"
      })
  void refuses_what_would_break_the_restore_and_names_the_option(String options) {
    InputException refused =
        assertThrows(InputException.class, () -> PgRestoreOptions.parse(options));
    assertTrue(refused.getMessage().startsWith("restore-options: "), refused.getMessage());
  }
}
