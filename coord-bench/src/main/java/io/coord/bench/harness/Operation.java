package io.coord.bench.harness;

import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous operation of a workload. {@code slot} (0..N-1) is exclusive while the
 * operation runs: no other in-flight operation has the same slot. {@code seq} counts issued
 * operations from 0.
 */
@FunctionalInterface
public interface Operation {
  CompletableFuture<?> start(int slot, long seq);
}
