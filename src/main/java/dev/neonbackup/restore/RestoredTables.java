package dev.neonbackup.restore;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Counts the tables whose data pg_restore restored, from its own {@code --verbose} lines: one
 * {@code processing data for table "schema.name"} per TABLE DATA entry it restores, in a parallel
 * restore too, and none for an entry that {@code --schema-only}, {@code --table} or a list file left
 * out. Free (the lines are read anyway) and true to what ran, unlike a count of the target's tables,
 * which would include any it already had.
 */
final class RestoredTables implements Consumer<String> {
  private static final String MARKER = "processing data for table \"";

  private final Consumer<String> next;
  private final AtomicInteger count = new AtomicInteger();

  RestoredTables(Consumer<String> next) {
    this.next = next;
  }

  /** Whether a line of pg_restore's stderr says it restores a table's data. */
  static boolean isTableData(String line) {
    return line.startsWith("pg_restore: ") && line.contains(MARKER);
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
