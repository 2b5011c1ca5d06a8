package io.coord.server.api;

import io.coord.server.command.RequestId;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Reads the exactly-once identity of a write from the gRPC metadata ({@code coord-client-id},
 * {@code coord-seq}, {@code coord-first-incomplete-seq}) into the call's context.
 */
public final class RequestIds implements ServerInterceptor {
  public static final Metadata.Key<String> CLIENT_ID =
      Metadata.Key.of("coord-client-id", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> SEQ =
      Metadata.Key.of("coord-seq", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> FIRST_INCOMPLETE_SEQ =
      Metadata.Key.of("coord-first-incomplete-seq", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<RequestId> KEY = Context.key("coord-request-id");

  /** The identity of the current call's write, or null if the caller sent none. */
  public static RequestId current() {
    return KEY.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String clientId = headers.get(CLIENT_ID);
    if (clientId == null) {
      return next.startCall(call, headers);
    }
    RequestId id;
    try {
      long client = Long.parseUnsignedLong(clientId);
      String seq = headers.get(SEQ);
      if (client == 0 || seq == null) {
        throw new NumberFormatException();
      }
      String firstIncomplete = headers.get(FIRST_INCOMPLETE_SEQ);
      id = RequestId.newBuilder()
          .setClientId(client)
          .setSeq(Long.parseUnsignedLong(seq))
          .setFirstIncompleteSeq(firstIncomplete == null ? 0
              : Long.parseUnsignedLong(firstIncomplete))
          .build();
    } catch (NumberFormatException e) {
      call.close(Status.INVALID_ARGUMENT.withDescription("metadata coord-client-id must be a "
          + "non-zero unsigned 64-bit decimal sent together with coord-seq (and optionally "
          + "coord-first-incomplete-seq), all decimal"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (Long.compareUnsigned(id.getSeq(), id.getFirstIncompleteSeq()) < 0) {
      call.close(Status.INVALID_ARGUMENT.withDescription("metadata coord-seq ("
          + Long.toUnsignedString(id.getSeq()) + ") must be at or above coord-first-incomplete-seq ("
          + Long.toUnsignedString(id.getFirstIncompleteSeq()) + "): a client declares complete only"
          + " sequences it sent and got an answer for"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(KEY, id), call, headers, next);
  }
}
