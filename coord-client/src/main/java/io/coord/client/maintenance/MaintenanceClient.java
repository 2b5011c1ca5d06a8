package io.coord.client.maintenance;

import io.coord.client.internal.Transport;
import io.coord.proto.v1.MaintenanceGrpc;
import io.coord.proto.v1.SnapshotChunk;
import io.coord.proto.v1.SnapshotRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.LongConsumer;

/** Backups. Thread-safe. */
public final class MaintenanceClient {
  private final Transport transport;
  private final Duration timeout;

  /** Created by {@link io.coord.client.CoordClient#maintenance()}. */
  public MaintenanceClient(Transport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  /**
   * Saves a snapshot of the cluster's state to {@code file}: taken by the first reachable
   * endpoint once it applied every write acknowledged before the call, streamed into
   * {@code file.part}, verified (every checksum), then renamed.
   *
   * @param progress told the number of bytes received so far, after each chunk
   * @return what the snapshot holds
   * @throws InvalidSnapshotException if what arrived does not verify (the part file is removed)
   */
  public SnapshotSummary saveSnapshot(Path file, LongConsumer progress) throws IOException {
    return saveSnapshot(file, false, progress);
  }

  /**
   * Like {@link #saveSnapshot(Path, LongConsumer)}; with {@code serializable} the member
   * saves what it applied without asking the leader (works without a quorum, may be stale).
   */
  public SnapshotSummary saveSnapshot(Path file, boolean serializable, LongConsumer progress)
      throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Duration streamTimeout = timeout.compareTo(Duration.ofMinutes(10)) < 0
        ? Duration.ofMinutes(10) : timeout;
    try {
      Iterator<SnapshotChunk> chunks = transport.stream(MaintenanceGrpc.getSnapshotMethod(),
          SnapshotRequest.newBuilder().setSerializable(serializable).build(), streamTimeout);
      long received = 0;
      try (OutputStream out = Files.newOutputStream(part)) {
        while (chunks.hasNext()) {
          SnapshotChunk chunk = chunks.next();
          chunk.getData().writeTo(out);
          received += chunk.getData().size();
          progress.accept(received);
        }
      }
      SnapshotSummary summary = SnapshotFile.verify(part);
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return summary;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      if (e instanceof io.grpc.StatusRuntimeException status) {
        throw io.coord.client.internal.Errors.convert(status);
      }
      throw e;
    }
  }
}
