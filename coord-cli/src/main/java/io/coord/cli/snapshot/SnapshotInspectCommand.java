package io.coord.cli.snapshot;

import io.coord.cli.LocalCommand;
import io.coord.cli.Output;
import io.coord.client.maintenance.InvalidSnapshotException;
import io.coord.client.maintenance.SnapshotFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord snapshot inspect FILE}. */
@Command(name = "inspect", aliases = "status", description = {
    "Verifies a snapshot file (every checksum) and shows its revision, key count, size and"
        + " checksum. Works offline. Exits 1 for a corrupted or truncated file.",
    "Simple output: 'revision: N', 'keys: N', 'size: ...', 'sha256: ... (verified)', 'taken"
        + " from: ...'."})
final class SnapshotInspectCommand extends LocalCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
  Path file;

  @Override
  protected void run(Output out) throws Exception {
    if (!Files.isRegularFile(file)) {
      throw usage("no snapshot file " + file);
    }
    try {
      SnapshotPrinter.print(out, SnapshotFile.verify(file), null, null);
    } catch (InvalidSnapshotException e) {
      throw SnapshotPrinter.invalid(file, e);
    }
  }
}
