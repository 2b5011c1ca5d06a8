package io.coord.client.kv;

import io.coord.proto.v1.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A transaction under construction: {@code when} conditions, {@code then} operations if all
 * hold, {@code otherwise} operations if not. All of it happens atomically at one revision.
 * Obtain one from {@link KvClient#txn()}; a {@code Txn} is not thread-safe.
 */
public final class Txn {
  private final List<Cmp> conditions = new ArrayList<>();
  private final List<Op> success = new ArrayList<>();
  private final List<Op> failure = new ArrayList<>();
  private Fence guard;
  private final Function<TxnRequest, CompletableFuture<TxnResult>> executor;

  Txn(Function<TxnRequest, CompletableFuture<TxnResult>> executor) {
    this.executor = executor;
  }

  /** Creates a transaction to nest in another with {@link Op#txn(Txn)}. */
  public static Txn nested() {
    return new Txn(request -> {
      throw new IllegalStateException("a nested transaction runs inside its parent");
    });
  }

  public Txn when(Cmp... cmps) {
    conditions.addAll(List.of(cmps));
    return this;
  }

  public Txn then(Op... ops) {
    success.addAll(List.of(ops));
    return this;
  }

  public Txn otherwise(Op... ops) {
    failure.addAll(List.of(ops));
    return this;
  }

  /**
   * Runs the transaction (either branch) only while {@code fence} is current; otherwise it
   * fails with {@code FENCING_TOKEN_STALE} and changes nothing. Guards of the operations inside
   * are checked too.
   */
  public Txn guard(Fence fence) {
    this.guard = fence;
    return this;
  }

  TxnRequest toRequest() {
    TxnRequest.Builder request = TxnRequest.newBuilder();
    if (guard != null) {
      request.setGuard(guard.toProto());
    }
    conditions.forEach(c -> request.addCompare(c.toProto()));
    success.forEach(o -> request.addSuccess(o.toProto()));
    failure.forEach(o -> request.addFailure(o.toProto()));
    return request.build();
  }

  /** Runs the transaction. */
  public CompletableFuture<TxnResult> commitAsync() {
    return executor.apply(toRequest());
  }

  /** Runs the transaction and waits for its result. */
  public TxnResult commit() {
    return KvClient.await(commitAsync());
  }
}
