package io.coord.client.kv;

import com.google.protobuf.ByteString;
import io.coord.client.CompareFailedException;
import io.coord.client.CoordException;
import io.coord.client.internal.Transport;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.KVGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads and writes keys. Every operation exists as a {@code ...Async} method returning a
 * {@link CompletableFuture} and as a blocking method that throws a {@link CoordException}.
 * Writes are exactly-once: a write retried after a failover is applied at most once. Reads are
 * linearizable unless {@link GetOptions.Builder#serializable()} is set.
 *
 * <p>Futures complete on gRPC threads: do not block inside their callbacks. Thread-safe.
 */
public final class KvClient {
  private final Transport transport;
  private final Duration timeout;

  /** Created by {@link io.coord.client.CoordClient#kv()}. */
  public KvClient(Transport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  /** Reads {@code key} (or the range the options describe). */
  public CompletableFuture<GetResult> getAsync(ByteString key, GetOptions options) {
    return transport.read(KVGrpc.getRangeMethod(), options.toRequest(key), timeout)
        .thenApply(GetResult::of);
  }

  /** Reads one key. */
  public GetResult get(String key) {
    return get(key, GetOptions.DEFAULT);
  }

  /** Reads {@code key} (or the range the options describe). */
  public GetResult get(String key, GetOptions options) {
    return await(getAsync(ByteString.copyFromUtf8(key), options));
  }

  /** Sets {@code key} to {@code value}. */
  public CompletableFuture<PutResult> putAsync(ByteString key, ByteString value,
      PutOptions options) {
    return transport.write(KVGrpc.getPutMethod(), options.toRequest(key, value), timeout)
        .thenApply(PutResult::of);
  }

  /** Sets {@code key} to {@code value}. */
  public PutResult put(String key, String value) {
    return put(key, value, PutOptions.DEFAULT);
  }

  /** Sets {@code key} to {@code value}. */
  public PutResult put(String key, String value, PutOptions options) {
    return await(putAsync(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value),
        options));
  }

  /** Deletes {@code key} (or the range the options describe). */
  public CompletableFuture<DeleteResult> deleteAsync(ByteString key, DeleteOptions options) {
    return transport.write(KVGrpc.getDeleteRangeMethod(), options.toRequest(key), timeout)
        .thenApply(DeleteResult::of);
  }

  /** Deletes one key. */
  public DeleteResult delete(String key) {
    return delete(key, DeleteOptions.DEFAULT);
  }

  /** Deletes {@code key} (or the range the options describe). */
  public DeleteResult delete(String key, DeleteOptions options) {
    return await(deleteAsync(ByteString.copyFromUtf8(key), options));
  }

  /** Starts a transaction; run it with {@link Txn#commit()} or {@link Txn#commitAsync()}. */
  public Txn txn() {
    return new Txn(request -> transport.write(KVGrpc.getTxnMethod(), request, timeout)
        .thenApply(TxnResult::of));
  }

  /**
   * Creates {@code key} with {@code value} only if it does not exist.
   *
   * @throws CompareFailedException if the key exists
   */
  public PutResult putIfAbsent(String key, String value) {
    TxnResult result = txn()
        .when(Cmp.version(key).equalTo(0))
        .then(Op.put(key, value))
        .commit();
    if (!result.succeeded()) {
      throw new CompareFailedException("key " + key + " already exists",
          result.header().revision());
    }
    return (PutResult) result.results().get(0);
  }

  /**
   * Sets {@code key} to {@code value} only if its last modification is
   * {@code expectedModRevision} (0: only if it does not exist).
   *
   * @throws CompareFailedException if the key changed meanwhile
   */
  public PutResult compareAndSet(String key, long expectedModRevision, String value) {
    TxnResult result = txn()
        .when(Cmp.modRevision(key).equalTo(expectedModRevision))
        .then(Op.put(key, value))
        .commit();
    if (!result.succeeded()) {
      throw new CompareFailedException("key " + key + " was not at mod revision "
          + expectedModRevision, result.header().revision());
    }
    return (PutResult) result.results().get(0);
  }

  /** Discards history before {@code revision}; returns the current revision. */
  public CompletableFuture<Long> compactAsync(long revision) {
    return transport.write(KVGrpc.getCompactMethod(),
        CompactionRequest.newBuilder().setRevision(revision).build(), timeout)
        .thenApply(r -> r.getHeader().getRevision());
  }

  /** Discards history before {@code revision}; returns the current revision. */
  public long compact(long revision) {
    return await(compactAsync(revision));
  }

  /** Waits for {@code future}, rethrowing its {@link CoordException} on this thread. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CoordException coord) {
        coord.addSuppressed(new Exception("awaited here"));
        throw coord;
      }
      throw e;
    }
  }
}
