package io.coord.cli.snapshot;

import io.coord.cli.ClientCommand;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.maintenance.InvalidSnapshotException;
import io.coord.client.maintenance.SnapshotSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord snapshot save FILE}. */
@Command(name = "save", description = {
    "Saves a consistent snapshot of the cluster's state to FILE (every write acknowledged"
        + " before the command is in it), showing progress on stderr, then verifies its"
        + " checksums. The first endpoint that answers takes it.",
    "Simple output: what 'coord snapshot inspect' prints."})
final class SnapshotSaveCommand extends ClientCommand {
  private static final long REPORT_EVERY_BYTES = 4L << 20;

  @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the snapshot.")
  Path file;

  @Option(names = "--serializable", description = "Save what the member applied without"
      + " asking the leader: works on a member of a cluster that lost its quorum.")
  boolean serializable;

  @Override
  protected void run(CoordClient client, Output out) throws Exception {
    PrintWriter err = progress();
    long[] reported = {0};
    SnapshotSummary summary;
    try {
      summary = client.maintenance().saveSnapshot(file, serializable, bytes -> {
        if (bytes - reported[0] >= REPORT_EVERY_BYTES) {
          reported[0] = bytes;
          err.println("coord: received " + mib(bytes));
          err.flush();
        }
      });
    } catch (InvalidSnapshotException e) {
      throw SnapshotPrinter.invalid(file, e);
    }
    err.println("coord: saved " + mib(summary.fileBytes()) + " to " + file
        + ", checksum verified");
    err.flush();
    SnapshotPrinter.print(out, summary, null, null);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
