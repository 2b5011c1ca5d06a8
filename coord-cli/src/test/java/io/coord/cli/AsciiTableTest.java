package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AsciiTableTest {
  @Test
  void padsEveryColumnToItsWidestCell() {
    String table = new AsciiTable("NAME", "ROLE").row("n1", "LEADER").row("n10", "x\ny")
        .toString();

    assertThat(table).isEqualTo("""
        +------+--------+
        | NAME | ROLE   |
        +------+--------+
        | n1   | LEADER |
        | n10  | x y    |
        +------+--------+
        """);
  }

  @Test
  void anEmptyTableIsJustItsHeader() {
    assertThat(new AsciiTable("A").toString()).isEqualTo("+---+\n| A |\n+---+\n");
  }
}
