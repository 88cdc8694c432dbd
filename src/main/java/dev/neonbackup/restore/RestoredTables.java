package dev.neonbackup.restore;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Counts the tables whose data pg_restore restored, from its own {@code --verbose} lines: one
 * {@code processing data for table "schema.name"} per TABLE DATA entry it restores, in a parallel
 * restore too, and none for an entry that {@code --schema-only}, {@code --table} or a list file left
 * out. Free (the lines are read anyway) and true to what ran, unlike a count of the target's tables,
 * which would include any it already had.
 *
 * <p>pg_restore writes {@code "pg_restore:"}, {@code " "} and the message in three writes. With
 * {@code --jobs} its workers share the pipe, so a line may start with two prefixes, or with none and
 * a space; the message itself is one write and arrives whole.
 */
final class RestoredTables implements Consumer<String> {
  private static final Pattern TABLE_DATA =
      Pattern.compile("^(?:pg_restore:| )*processing data for table \"");

  private final Consumer<String> next;
  private final AtomicInteger count = new AtomicInteger();

  RestoredTables(Consumer<String> next) {
    this.next = next;
  }

  /** Whether a line of pg_restore's stderr says it restores a table's data. */
  static boolean isTableData(String line) {
    return TABLE_DATA.matcher(line).lookingAt();
  }

  @Override
  public void accept(String line) {
    if (isTableData(line)) {
      count.incrementAndGet();
    }
    next.accept(line);
  }

  int count() {
    return count.get();
  }
}
