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
class KvCommandsTest {

  @Test
  void putThenGetPrintsOkThenKeyAndValue() {
    Run put = coord("kv", "put", "simple/greeting", "hello world");
    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(put.out()).isEqualTo("OK\n");
    assertThat(put.err()).isEmpty();

    Run get = coord("kv", "get", "simple/greeting");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.lines()).containsExactly("simple/greeting", "hello world");
  }

  @Test
  void getOfAMissingKeyPrintsNothingAndSucceeds() {
    Run get = coord("kv", "get", "simple/missing");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEmpty();
  }

  @Test
  void putReadsTheValueFromStandardInputByteForByte() {
    assertThat(coordWithInput("line one\nline two\n", "kv", "put", "stdin/a").exitCode())
        .isZero();
    assertThat(coordWithInput("dash", "kv", "put", "stdin/b", "-").exitCode()).isZero();

    assertThat(coord("kv", "get", "stdin/a", "--print-value-only").out())
        .isEqualTo("line one\nline two\n\n");
    assertThat(coord("kv", "get", "stdin/b", "--print-value-only").out()).isEqualTo("dash\n");
  }

  @Test
  void putWithPrevKvPrintsThePreviousVersion() {
    coord("kv", "put", "prev/k", "old");
    Run put = coord("kv", "put", "--prev-kv", "prev/k", "new");
    assertThat(put.lines()).containsExactly("OK", "prev/k", "old");
  }

  @Test
  void putPassesTheSessionThroughAndTheServerRejectsAnUnknownOne() {
    Run put = coord("kv", "put", "--session", "0x7b", "session/k", "v");
    assertThat(put.exitCode()).isEqualTo(1);
    assertThat(put.err()).startsWith("coord: ").contains("123").endsWith("\n");
    assertThat(put.err().lines()).hasSize(1);
  }

  @Test
  void rangesByPrefixFromKeyAndExplicitEnd() {
    for (String key : new String[] {"range/a", "range/b", "range/c", "rangez"}) {
      coord("kv", "put", key, "v-" + key);
    }
    assertThat(coord("kv", "get", "--prefix", "--keys-only", "range/").lines())
        .containsExactly("range/a", "range/b", "range/c");
    assertThat(coord("kv", "get", "--keys-only", "range/b", "range/c").lines())
        .containsExactly("range/b");
    assertThat(coord("kv", "get", "--from-key", "--keys-only", "range/c").lines())
        .startsWith("range/c", "rangez");
    assertThat(coord("kv", "get", "--prefix", "--print-value-only", "range/").lines())
        .containsExactly("v-range/a", "v-range/b", "v-range/c");
    assertThat(coord("kv", "get", "--prefix", "--limit", "2", "range/").lines())
        .containsExactly("range/a", "v-range/a", "range/b", "v-range/b");
    assertThat(coord("kv", "get", "--prefix", "--count-only", "range/").lines())
        .containsExactly("3");
  }

  @Test
  void serializableReadIsServedFromTheMembersLocalState() {
    coord("kv", "put", "serial/k", "v");
    String leader = SharedCluster.cluster().awaitLeader().clientAddress();
    Run get = Cli.raw("", "--endpoints", leader, "kv", "get", "--serializable", "serial/k");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.lines()).containsExactly("serial/k", "v");
  }

  @Test
  void getAtAnOlderRevisionSeesTheOlderValue() {
    coord("kv", "put", "history/k", "first");
    long firstRevision = JsonDoc.modRevision(coord("-o", "json", "kv", "get", "history/k"));
    coord("kv", "put", "history/k", "second");

    assertThat(coord("kv", "get", "--rev", Long.toString(firstRevision), "history/k").lines())
        .containsExactly("history/k", "first");
    assertThat(coord("kv", "get", "history/k").lines()).containsExactly("history/k", "second");
  }

  @Test
  void deletePrintsTheCountAndWithPrevKvTheDeletedPairs() {
    coord("kv", "put", "del/a", "1");
    coord("kv", "put", "del/b", "2");
    coord("kv", "put", "del/c", "3");

    assertThat(coord("kv", "del", "del/a").lines()).containsExactly("1");
    assertThat(coord("kv", "del", "del/a").lines()).containsExactly("0");
    assertThat(coord("kv", "del", "--prefix", "--prev-kv", "del/").lines())
        .containsExactly("2", "del/b", "2", "del/c", "3");
    assertThat(coord("kv", "get", "--prefix", "del/").out()).isEmpty();
  }

  @Test
  void compactMakesOlderRevisionsUnreadable() {
    coord("kv", "put", "compact/k", "v1");
    long old = JsonDoc.modRevision(coord("-o", "json", "kv", "get", "compact/k"));
    coord("kv", "put", "compact/k", "v2");
    long current = JsonDoc.modRevision(coord("-o", "json", "kv", "get", "compact/k"));

    Run compact = coord("kv", "compact", Long.toString(current));
    assertThat(compact.exitCode()).as(compact.toString()).isZero();
    assertThat(compact.out()).isEqualTo("compacted revision " + current + "\n");

    Run stale = coord("kv", "get", "--rev", Long.toString(old), "compact/k");
    assertThat(stale.exitCode()).isEqualTo(1);
    assertThat(stale.out()).isEmpty();
    assertThat(stale.err()).startsWith("coord: ").contains("compact")
        .contains("oldest readable revision is " + current);
    assertThat(stale.err().lines()).hasSize(1);
  }

  @Test
  void tableOutputDrawsAsciiTables() {
    coord("kv", "put", "table/k", "v");
    Run get = coord("-o", "table", "kv", "get", "table/k");
    assertThat(get.lines()).hasSize(5);
    assertThat(get.lines().get(0)).matches("\\+-+(\\+-+)+\\+");
    assertThat(get.lines().get(1)).matches(
        "\\| KEY +\\| VALUE +\\| CREATE REV +\\| MOD REV +\\| VERSION +\\| SESSION +\\|");
    assertThat(get.lines().get(3)).startsWith("| table/k | v ").contains("| 1 ");

    assertThat(coord("-o", "table", "kv", "put", "table/k", "w").lines().get(1))
        .isEqualTo("| REVISION |");
    assertThat(coord("-o", "table", "kv", "del", "table/k").lines().get(1))
        .matches("\\| DELETED \\| REVISION +\\|");
  }

  @Test
  void tableOutputOfTxnAndCompact() {
    Run txn = coordWithInput("\nput table/txn v\n", "-o", "table", "kv", "txn");
    assertThat(txn.lines()).hasSize(7);
    assertThat(txn.lines().subList(0, 2)).containsExactly("SUCCESS", "");
    assertThat(txn.lines().get(3)).isEqualTo("| REVISION |");
    long revision = Long.parseLong(txn.lines().get(5).replaceAll("[| ]", ""));

    Run compact = coord("-o", "table", "kv", "compact", Long.toString(revision));
    assertThat(compact.lines().get(1)).matches("\\| COMPACT REVISION \\| REVISION +\\|");
    assertThat(compact.lines().get(3)).startsWith("| " + revision + " ");
  }

  @Test
  void globalOptionsWorkAfterTheSubcommandToo() {
    coord("kv", "put", "global/k", "v");
    Run json = Cli.raw("", "kv", "get", "global/k", "-o", "json", "--endpoints",
        SharedCluster.endpoints(), "--timeout", "5s");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.out()).startsWith("{\"header\":");
  }
}
