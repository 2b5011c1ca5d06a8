package io.coord.server.api;

import com.google.rpc.ErrorInfo;
import io.coord.proto.v1.ErrorReason;
import io.coord.server.error.CoordError;
import io.coord.server.storage.StoreClosedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from failures to gRPC statuses. Every status carries a
 * {@code google.rpc.ErrorInfo} (domain "coord.io") whose reason is an {@link ErrorReason}.
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
  public static final String DOMAIN = "coord.io";

  private ApiErrors() {}

  /** The gRPC status code of each reason. */
  static Status.Code code(ErrorReason reason) {
    return switch (reason) {
      case LIMIT_EXCEEDED, INVALID_FIELD -> Status.Code.INVALID_ARGUMENT;
      case COMPACTED, FUTURE_REVISION -> Status.Code.OUT_OF_RANGE;
      case NO_LEADER, NOT_READY -> Status.Code.UNAVAILABLE;
      case SESSION_NOT_FOUND, MEMBER_NOT_FOUND -> Status.Code.NOT_FOUND;
      case MEMBERSHIP_REFUSED -> Status.Code.FAILED_PRECONDITION;
      case REQUEST_ALREADY_COMPLETED -> Status.Code.FAILED_PRECONDITION;
      case REVISION_NOT_REACHED -> Status.Code.DEADLINE_EXCEEDED;
      case FENCING_TOKEN_STALE, LOCK_MISMATCH, NOT_ELECTION_LEADER ->
          Status.Code.FAILED_PRECONDITION;
      case LOCK_WAIT_ENDED -> Status.Code.ABORTED;
      case INSTANCE_REGISTERED -> Status.Code.FAILED_PRECONDITION;
      case INSTANCE_NOT_FOUND -> Status.Code.NOT_FOUND;
      case ERROR_REASON_UNSPECIFIED, UNRECOGNIZED -> Status.Code.INTERNAL;
    };
  }

  /** Converts any failure of a request into the status the caller sees. */
  public static StatusRuntimeException toStatus(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof CoordError error) {
      return status(code(error.reason()), error.reason(), error.getMessage(), error);
    }
    if (cause instanceof StoreClosedException) {
      return status(Status.Code.UNAVAILABLE, ErrorReason.NOT_READY, cause.getMessage(), null);
    }
    if (cause instanceof TimeoutException) {
      return status(Status.Code.DEADLINE_EXCEEDED, ErrorReason.ERROR_REASON_UNSPECIFIED,
          "the request did not complete before its deadline; a write may still be applied: "
              + "retry it with the same request id", null);
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("request cancelled").asRuntimeException();
    }
    LOG.error("internal error serving a request", cause);
    return status(Status.Code.INTERNAL, ErrorReason.ERROR_REASON_UNSPECIFIED,
        "internal error: " + cause, null);
  }

  private static StatusRuntimeException status(Status.Code code, ErrorReason reason,
      String message, CoordError error) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason.name());
    if (error != null) {
      info.putAllMetadata(error.metadata());
    }
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(com.google.protobuf.Any.pack(info.build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
