package io.coord.client.internal;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;

/** Bridges gRPC's listenable futures to {@link CompletableFuture}. */
final class Futures {
  private Futures() {}

  static <T> void listen(ListenableFuture<T> source, CompletableFuture<T> target) {
    com.google.common.util.concurrent.Futures.addCallback(source, new FutureCallback<>() {
      @Override
      public void onSuccess(T value) {
        target.complete(value);
      }

      @Override
      public void onFailure(Throwable t) {
        target.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
  }
}
