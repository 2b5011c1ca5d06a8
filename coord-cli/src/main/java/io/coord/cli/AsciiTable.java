package io.coord.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An ASCII table: a header row and data rows, every cell left-aligned. */
public final class AsciiTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public AsciiTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; values are printed with {@link String#valueOf(Object)}. */
  public AsciiTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, header "
          + header.size());
    }
    rows.add(Arrays.stream(cells).map(AsciiTable::cell).toList());
    return this;
  }

  @Override
  public String toString() {
    int[] widths = new int[header.size()];
    for (List<String> row : allRows()) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    rule(widths, out);
    line(header, widths, out);
    rule(widths, out);
    for (List<String> row : rows) {
      line(row, widths, out);
    }
    if (!rows.isEmpty()) {
      rule(widths, out);
    }
    return out.toString();
  }

  private List<List<String>> allRows() {
    List<List<String>> all = new ArrayList<>(rows);
    all.add(header);
    return all;
  }

  private static void rule(int[] widths, StringBuilder out) {
    for (int width : widths) {
      out.append('+').append("-".repeat(width + 2));
    }
    out.append("+\n");
  }

  private static void line(List<String> cells, int[] widths, StringBuilder out) {
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      out.append("| ").append(cell).append(" ".repeat(widths[i] - cell.length() + 1));
    }
    out.append("|\n");
  }

  /** Keeps one cell on one line: control characters become spaces. */
  private static String cell(Object value) {
    String text = String.valueOf(value);
    StringBuilder clean = new StringBuilder(text.length());
    text.chars().forEach(c -> clean.append(Character.isISOControl(c) ? ' ' : (char) c));
    return clean.toString();
  }
}
