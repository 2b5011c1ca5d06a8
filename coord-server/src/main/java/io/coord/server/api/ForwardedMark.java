package io.coord.server.api;

import io.coord.server.cluster.LeaderRoute;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Records whether another member forwarded the current call, so it is not forwarded again. */
final class ForwardedMark implements ServerInterceptor {
  private static final Context.Key<Boolean> KEY = Context.key("coord-forwarded");

  static boolean isForwarded() {
    return Boolean.TRUE.equals(KEY.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (headers.get(LeaderRoute.FORWARDED) == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(KEY, true), call, headers, next);
  }
}
