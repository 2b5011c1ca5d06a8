package io.coord.server.error;

import io.coord.proto.v1.ErrorReason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal with a reason from the public {@link ErrorReason} table. Thrown by validation
 * before anything reaches the log, and by apply for deterministic refusals (the same on every
 * member). The API layer maps it to one gRPC status; its message names the field and limit.
 */
public final class CoordError extends RuntimeException {
  private final ErrorReason reason;
  private final Map<String, String> metadata;

  public CoordError(ErrorReason reason, String message, Map<String, String> metadata) {
    super(message, null, false, false);
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  public CoordError(ErrorReason reason, String message) {
    this(reason, message, Map.of());
  }

  public ErrorReason reason() {
    return reason;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * A field over a limit, e.g. "put.value: 1048577 bytes, over the limit of 1048576 bytes
   * (coord.limits.max-value-bytes)".
   */
  public static CoordError limitExceeded(String field, long actual, long limit, String unit,
      String configKey) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("field", field);
    meta.put("limit", Long.toString(limit));
    return new CoordError(ErrorReason.LIMIT_EXCEEDED, field + ": " + actual + " " + unit
        + ", over the limit of " + limit + " " + unit + " (" + configKey + ")", meta);
  }

  public static CoordError invalidField(String field, String problem) {
    return new CoordError(ErrorReason.INVALID_FIELD, field + ": " + problem,
        Map.of("field", field));
  }

  public static CoordError compacted(long requested, long compactRevision) {
    return new CoordError(ErrorReason.COMPACTED,
        "revision " + requested + " has been compacted; the oldest readable revision is "
            + compactRevision,
        Map.of("compact_revision", Long.toString(compactRevision)));
  }

  public static CoordError futureRevision(long requested, long current) {
    return new CoordError(ErrorReason.FUTURE_REVISION,
        "revision " + requested + " is in the future; the current revision is " + current,
        Map.of("current_revision", Long.toString(current)));
  }

  public static CoordError sessionNotFound(long session) {
    return new CoordError(ErrorReason.SESSION_NOT_FOUND,
        "session " + session + " not found (never granted, expired or revoked)",
        Map.of("session", Long.toString(session)));
  }

  public static CoordError noLeader(String detail) {
    return new CoordError(ErrorReason.NO_LEADER,
        "no leader: " + detail + "; retry, on another member if this one is cut off");
  }

  public static CoordError notReady(String detail) {
    return new CoordError(ErrorReason.NOT_READY, "member not ready: " + detail + "; retry");
  }
}
