package dev.neonbackup.report;

import java.util.List;

/** A plain-text table for the terminal: columns padded to their widest cell, the last one not. */
public final class TextTable {
  private TextTable() {}

  /** The rows (the first is the header), one line each, without a trailing newline. */
  public static String aligned(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.append('\n');
    }
    return out.toString().stripTrailing();
  }
}
