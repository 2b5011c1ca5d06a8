package io.coord.server.api;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.MaintenanceGrpc;
import io.coord.proto.v1.SnapshotChunk;
import io.coord.proto.v1.SnapshotRequest;
import io.coord.server.maintenance.SnapshotExporter;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The Maintenance gRPC service: streams backups. */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  private static final int CHUNK_BYTES = 256 << 10;
  /** Snapshots streamed at once by one member; more are refused. */
  private static final int MAX_CONCURRENT = 2;

  private final SnapshotExporter exporter;
  private final ReadPath reads;
  private final Calls calls;
  private final ExecutorService streams = new ThreadPoolExecutor(0, MAX_CONCURRENT, 30,
      TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "coord-snapshot-stream");
        t.setDaemon(true);
        return t;
      });

  MaintenanceService(SnapshotExporter exporter, ReadPath reads, Calls calls) {
    this.exporter = exporter;
    this.reads = reads;
    this.calls = calls;
  }

  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotChunk> observer) {
    ServerCallStreamObserver<SnapshotChunk> call =
        (ServerCallStreamObserver<SnapshotChunk>) observer;
    ChunkStream out = new ChunkStream(call);
    call.setOnReadyHandler(out::wake);
    call.setOnCancelHandler(out::wake);
    try {
      long readPointMs = calls.remaining().toMillis();
      streams.execute(() -> {
        try {
          if (!request.getSerializable()) {
            awaitReadPoint(readPointMs);
          }
          exporter.export(out);
          out.flush();
          call.onCompleted();
        } catch (InterruptedIOException cancelled) {
          // The caller went away.
        } catch (IOException | RuntimeException e) {
          if (!call.isCancelled()) {
            call.onError(ApiErrors.toStatus(e instanceof IOException
                ? Status.INTERNAL.withDescription("snapshot failed: " + e.getMessage())
                    .asRuntimeException() : e));
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException busy) {
      call.onError(Status.RESOURCE_EXHAUSTED.withDescription("this member already streams "
          + MAX_CONCURRENT + " snapshots; retry later").asRuntimeException());
    }
  }

  private void awaitReadPoint(long timeoutMs) {
    try {
      reads.linearizablePoint().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw io.coord.server.error.CoordError.noLeader("no linearizable read point within "
          + timeoutMs + " ms (use a serializable snapshot to save this member's state as is)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw io.coord.server.error.CoordError.notReady("interrupted");
    }
  }

  /** Sends what is written as chunks, waiting while the caller's buffer is full. */
  private static final class ChunkStream extends OutputStream {
    private final ServerCallStreamObserver<SnapshotChunk> call;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private int filled;

    ChunkStream(ServerCallStreamObserver<SnapshotChunk> call) {
      this.call = call;
    }

    synchronized void wake() {
      notifyAll();
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        int n = Math.min(length, buffer.length - filled);
        System.arraycopy(bytes, offset, buffer, filled, n);
        filled += n;
        offset += n;
        length -= n;
        if (filled == buffer.length) {
          flush();
        }
      }
    }

    @Override
    public void flush() throws IOException {
      if (filled == 0) {
        return;
      }
      awaitReady();
      call.onNext(SnapshotChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, filled))
          .build());
      filled = 0;
    }

    private synchronized void awaitReady() throws IOException {
      while (!call.isReady()) {
        if (call.isCancelled()) {
          throw new InterruptedIOException("the caller cancelled the snapshot");
        }
        try {
          wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
    }
  }
}
