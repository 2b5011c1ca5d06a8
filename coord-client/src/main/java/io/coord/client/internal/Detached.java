package io.coord.client.internal;

import io.grpc.Context;
import java.util.function.Supplier;

/**
 * Starts calls that outlive the method that starts them (watches, observers, keep-alive
 * streams) outside the caller's cancellation. A gRPC call belongs to the context it starts in;
 * when an application opens a stream while it handles a gRPC call of its own, that call's end
 * would otherwise cancel the stream, and every reconnect started from the cancelled stream's
 * callbacks would inherit the same cancelled context. The context's values are kept.
 */
public final class Detached {
  private Detached() {}

  /** Runs {@code start} in a fork of the current context. */
  public static void run(Runnable start) {
    Context.current().fork().run(start);
  }

  /** Calls {@code start} in a fork of the current context and returns what it returns. */
  public static <T> T get(Supplier<T> start) {
    Context forked = Context.current().fork();
    Context previous = forked.attach();
    try {
      return start.get();
    } finally {
      forked.detach(previous);
    }
  }
}
