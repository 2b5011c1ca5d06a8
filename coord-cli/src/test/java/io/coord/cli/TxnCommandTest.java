package io.coord.cli;

import static io.coord.cli.Cli.coord;
import static io.coord.cli.Cli.coordWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedCluster.class)
@Timeout(120)
class TxnCommandTest {

  @Test
  void comparesThatHoldRunTheSuccessBranch() {
    coord("kv", "put", "txn1/k", "v1");
    Run txn = coordWithInput("""
        value("txn1/k") = "v1"
        version("txn1/k") > "0"

        put txn1/k v2
        get txn1/k

        put txn1/other x
        """, "kv", "txn");

    assertThat(txn.exitCode()).as(txn.toString()).isZero();
    assertThat(txn.lines()).containsExactly("SUCCESS", "", "OK", "", "txn1/k", "v2");
    assertThat(coord("kv", "get", "txn1/other").out()).isEmpty();
  }

  @Test
  void failedComparesRunTheFailureBranchAndStillExitZero() {
    Run txn = coordWithInput("""
        create("txn2/lock") != "0"

        del txn2/lock

        put txn2/lock "me, the first"
        get txn2/lock
        """, "kv", "txn");

    assertThat(txn.exitCode()).as(txn.toString()).isZero();
    assertThat(txn.lines())
        .containsExactly("FAILURE", "", "OK", "", "txn2/lock", "me, the first");
  }

  @Test
  void modRevisionCompareGuardsACompareAndSet() {
    coord("kv", "put", "txn3/k", "v1");
    long rev = JsonDoc.modRevision(coord("-o", "json", "kv", "get", "txn3/k"));
    String script = "mod(\"txn3/k\") = \"" + rev + "\"\n\nput txn3/k v2\n\n";

    assertThat(coordWithInput(script, "kv", "txn").lines().get(0)).isEqualTo("SUCCESS");
    assertThat(coordWithInput(script, "kv", "txn").lines().get(0)).isEqualTo("FAILURE");
    assertThat(coord("kv", "get", "--print-value-only", "txn3/k").out()).isEqualTo("v2\n");
  }

  @Test
  void operationsAcceptRangesOptionsAndEscapes() {
    Run puts = coordWithInput("""

        put "txn4/a b" "tab\\there"
        put 'txn4/c' "quote \\" and \\x41"
        get txn4/a --from-key --limit 1 --keys-only
        """, "kv", "txn");
    assertThat(puts.exitCode()).as(puts.toString()).isZero();
    // A get in a transaction prints key and value lines; --keys-only leaves the value empty.
    assertThat(puts.lines()).containsExactly("SUCCESS", "", "OK", "", "OK", "", "txn4/a b", "");

    Run deletes = coordWithInput("\ndel txn4/ --prefix --prev-kv\n", "kv", "txn");
    assertThat(deletes.lines()).containsExactly("SUCCESS", "", "2", "txn4/a b", "tab\there",
        "txn4/c", "quote \" and A");
  }

  @Test
  void malformedInputIsAUsageErrorNamingTheLine() {
    Run txn = coordWithInput("""
        value("txn5/k") = "v"

        pt txn5/k v
        """, "kv", "txn");

    assertThat(txn.exitCode()).isEqualTo(2);
    assertThat(txn.out()).isEmpty();
    assertThat(txn.err()).isEqualTo("coord: kv txn: txn line 3 'pt txn5/k v': unknown operation"
        + " 'pt' (expected put, get or del) (see 'coord kv txn --help')\n");
  }

  @Test
  void badComparesAreUsageErrors() {
    assertThat(coordWithInput("valu(\"k\") = \"v\"\n", "kv", "txn").err())
        .contains("txn line 1").contains("unknown compare target 'valu'");
    assertThat(coordWithInput("mod(\"k\") = \"x\"\n", "kv", "txn").err())
        .contains("mod needs a number, got 'x'");
    assertThat(coordWithInput("value(k) = \"v\"\n", "kv", "txn").err())
        .contains("expected a double-quoted string at column 7");
    assertThat(coordWithInput("value(\"k\") ~ \"v\"\n", "kv", "txn").exitCode()).isEqualTo(2);
  }

  @Test
  void interactiveModePromptsOnStandardError() {
    Run txn = coordWithInput("\nput txn6/k v\n\n", "kv", "txn", "--interactive");

    assertThat(txn.exitCode()).as(txn.toString()).isZero();
    assertThat(txn.err()).isEqualTo("compares:\nsuccess requests (get, put, del):\n"
        + "failure requests (get, put, del):\n");
    assertThat(txn.lines()).containsExactly("SUCCESS", "", "OK");
  }
}
