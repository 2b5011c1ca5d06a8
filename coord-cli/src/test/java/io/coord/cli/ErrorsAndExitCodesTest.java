package io.coord.cli;

import static io.coord.cli.Cli.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.cli.Cli.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Errors are one line on stderr; exit codes are 0, 1 and 2. No cluster needed. */
@Timeout(60)
class ErrorsAndExitCodesTest {

  @Test
  void unreachableEndpointsFailFastWithOneLineNamingTheFix() throws IOException {
    String endpoints = "127.0.0.1:" + closedPort() + ",127.0.0.1:" + closedPort();
    long start = System.nanoTime();

    Run run = raw("", "--endpoints", endpoints, "-o", "json", "kv", "get", "k");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("coord: cannot reach any of " + endpoints
        + ": is the cluster running? (scripts/cluster up; or set --endpoints or"
        + " COORD_ENDPOINTS)\n");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void debugAddsTheStackTrace() throws IOException {
    Run run = raw("", "--debug", "--endpoints", "127.0.0.1:" + closedPort(), "member", "list");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines().findFirst()).hasValueSatisfying(first ->
        assertThat(first).startsWith("coord: cannot reach any of"));
    assertThat(run.err()).contains("at io.coord.cli.");
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    assertUsageError(raw("", "kv", "put"),
        "coord: kv put: missing required parameter: 'KEY' (see 'coord kv put --help')\n");
    assertUsageError(raw("", "kv"), "coord: kv: missing subcommand: one of put, get, del, txn,"
        + " compact, watch (see 'coord kv --help')\n");
    assertUsageError(raw("", "kv", "get", "--bogus", "k"),
        "coord: kv get: unknown option: '--bogus' (see 'coord kv get --help')\n");
    assertUsageError(raw("", "--timeout", "soon", "kv", "get", "k"),
        "coord: invalid value for option '--timeout': 'soon' is not a positive duration"
            + " (examples: 500ms, 5s, 1m30s) (see 'coord --help')\n");
    assertUsageError(raw("", "--endpoints", "localhost", "kv", "get", "k"),
        "coord: invalid value for option '--endpoints' (HOST:PORT,...): 'localhost' is not"
            + " host:port (see 'coord --help')\n");
    assertUsageError(raw("", "-o", "yaml", "member", "list"), null);
    assertUsageError(raw("", "kv", "get", "--prefix", "--from-key", "k"),
        "coord: kv get: give only one of RANGE_END, --prefix and --from-key"
            + " (see 'coord kv get --help')\n");
    assertUsageError(raw("", "kv", "compact", "0"),
        "coord: kv compact: REV must be a positive revision (see 'coord kv compact --help')\n");
  }

  @Test
  void unknownCommandSuggestsTheClosestOne() {
    Run run = raw("", "kv", "putt", "k", "v");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("did you mean put?");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void helpAndVersionSucceedOnStandardOutput() {
    Run help = raw("", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: coord").contains("Exit codes:")
        .contains("0   Success").contains("1   The operation failed")
        .contains("2   Usage error");
    assertThat(help.err()).isEmpty();

    Run subHelp = raw("", "kv", "txn", "--help");
    assertThat(subHelp.exitCode()).isZero();
    assertThat(subHelp.out()).contains("Usage: coord kv txn").contains("--endpoints")
        .contains("Exit codes:");

    Run version = raw("", "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("coord ");
  }

  private static void assertUsageError(Run run, String expectedErr) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("coord: ").endsWith("\n");
    assertThat(run.err().lines()).hasSize(1);
    if (expectedErr != null) {
      assertThat(run.err()).isEqualTo(expectedErr);
    }
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
