package io.coord.client.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.coord.client.CompactedException;
import io.coord.client.CoordException;
import io.coord.client.FutureRevisionException;
import io.coord.client.InvalidRequestException;
import io.coord.client.LimitExceededException;
import io.coord.client.NotFoundException;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/** Maps gRPC failures to the client's typed exceptions. */
public final class Errors {
  private Errors() {}

  /** The server's error info of a failure, if it sent one. */
  static ErrorInfo errorInfo(Throwable failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** True if the request may succeed on another member or later. */
  static boolean retryable(Throwable failure) {
    Status.Code code = Status.fromThrowable(failure).getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.RESOURCE_EXHAUSTED && errorInfo(failure) == null;
  }

  /** Converts a failure of a call made outside the retrying transport (a stream). */
  public static CoordException convert(Throwable failure) {
    return toException(failure);
  }

  /** Converts a final, non-retryable failure. */
  public static CoordException toException(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    String message = status.getDescription() == null ? status.getCode().name()
        : status.getDescription();
    ErrorInfo info = errorInfo(failure);
    String reason = info == null || info.getReason().isEmpty() ? status.getCode().name()
        : info.getReason();
    Map<String, String> metadata = info == null ? Map.of() : info.getMetadataMap();
    return switch (reason) {
      case "COMPACTED" -> new CompactedException(message, metadata, failure);
      case "FUTURE_REVISION" -> new FutureRevisionException(message, metadata, failure);
      case "LIMIT_EXCEEDED" -> new LimitExceededException(message, metadata, failure);
      case "INVALID_FIELD", "INVALID_ARGUMENT" ->
          new InvalidRequestException(reason, message, metadata, failure);
      case "FENCING_TOKEN_STALE" ->
          new io.coord.client.StaleFenceException(message, metadata, failure);
      case "SESSION_NOT_FOUND", "MEMBER_NOT_FOUND", "INSTANCE_NOT_FOUND", "NOT_FOUND" ->
          new NotFoundException(reason, message, metadata, failure);
      default -> new CoordException(reason, message, metadata, failure);
    };
  }
}
