package io.coord.cli.snapshot;

import io.coord.cli.CliException;
import io.coord.cli.LocalCommand;
import io.coord.cli.Output;
import io.coord.client.maintenance.InvalidSnapshotException;
import io.coord.client.maintenance.SnapshotFile;
import io.coord.client.maintenance.SnapshotSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord snapshot restore FILE --data-dir DIR}. */
@Command(name = "restore", description = {
    "Builds a member's data directory for a NEW cluster from a snapshot file: every key,"
        + " revision and history is kept, the Raft log starts fresh. Run it once per member of"
        + " the new cluster (same file, one empty DIR each), then start each member with"
        + " coord.data-dir=DIR, coord.cluster.initial-state=new and the new cluster's"
        + " coord.cluster.initial-members. Works offline; the file is verified first and a"
        + " corrupted or truncated one is refused without writing anything.",
    "Simple output: 'restored FILE into DIR' and what 'coord snapshot inspect' prints."})
final class SnapshotRestoreCommand extends LocalCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
  Path file;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "The new member's data directory (coord.data-dir); must be empty or absent.")
  Path dataDir;

  @Override
  protected void run(Output out) throws Exception {
    if (!Files.isRegularFile(file)) {
      throw usage("no snapshot file " + file);
    }
    SnapshotSummary summary;
    try {
      summary = SnapshotFile.restore(file, dataDir);
    } catch (InvalidSnapshotException e) {
      throw SnapshotPrinter.invalid(file, e);
    } catch (IOException e) {
      throw new CliException("cannot restore into " + dataDir + ": " + e.getMessage());
    }
    SnapshotPrinter.print(out, summary, dataDir, "restored " + file + " into " + dataDir);
  }
}
