package io.coord.server.api;

import com.google.protobuf.MessageLite;
import io.coord.proto.v1.CampaignRequest;
import io.coord.proto.v1.Fence;
import io.coord.proto.v1.LockAcquireRequest;
import io.coord.proto.v1.LockBreakRequest;
import io.coord.proto.v1.LockKind;
import io.coord.proto.v1.LockMode;
import io.coord.proto.v1.LockReleaseRequest;
import io.coord.proto.v1.LockWait;
import io.coord.proto.v1.ProclaimRequest;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import java.nio.charset.StandardCharsets;

/**
 * Checks lock and election requests before anything reaches the log. Messages name the field
 * and the limit.
 */
final class LockRequestValidator {
  /** The most permits a semaphore may have. */
  static final int MAX_PERMITS = 1_000_000;
  /** The longest reason of a break, in bytes. */
  static final int MAX_REASON_BYTES = 1024;

  private final long maxNameBytes;
  private final long maxValueBytes;
  private final long maxRequestBytes;

  LockRequestValidator(ServerConfig config) {
    this.maxNameBytes = config.get(ConfigKeys.MAX_KEY_BYTES);
    this.maxValueBytes = config.get(ConfigKeys.MAX_VALUE_BYTES);
    this.maxRequestBytes = config.get(ConfigKeys.MAX_REQUEST_BYTES);
  }

  void checkAcquire(LockAcquireRequest request) {
    checkName("lock_acquire.name", request.getName());
    checkSession("lock_acquire.session", request.getSession());
    if (request.getWaitValue() < 0 || request.getWaitValue() > 2) {
      throw CoordError.invalidField("lock_acquire.wait", "unknown wait policy");
    }
    if (request.getWait() == LockWait.WAIT_TIMEOUT) {
      if (request.getTimeoutMs() <= 0) {
        throw CoordError.invalidField("lock_acquire.timeout_ms", "must be > 0 with WAIT_TIMEOUT"
            + " (got " + request.getTimeoutMs() + ")");
      }
    } else if (request.getTimeoutMs() != 0) {
      throw CoordError.invalidField("lock_acquire.timeout_ms", "must be 0 unless wait is"
          + " WAIT_TIMEOUT (got " + request.getTimeoutMs() + ")");
    }
    LockKind kind = request.getKind();
    if (kind == LockKind.UNRECOGNIZED) {
      throw CoordError.invalidField("lock_acquire.kind", "unknown lock kind");
    }
    if (kind == LockKind.SEMAPHORE) {
      if (request.getPermits() < 1) {
        throw CoordError.invalidField("lock_acquire.permits", "a semaphore needs 1 to "
            + MAX_PERMITS + " permits (got " + request.getPermits() + ")");
      }
      if (request.getPermits() > MAX_PERMITS) {
        throw CoordError.limitExceeded("lock_acquire.permits", request.getPermits(),
            MAX_PERMITS, "permits", "fixed");
      }
    } else if (request.getPermits() != 0) {
      throw CoordError.invalidField("lock_acquire.permits", "must be 0 for a " + kind
          + " (got " + request.getPermits() + ")");
    }
    if (request.getModeValue() < 0 || request.getModeValue() > 1) {
      throw CoordError.invalidField("lock_acquire.mode", "unknown mode");
    }
    if (request.getMode() == LockMode.READ && kind != LockKind.READ_WRITE) {
      throw CoordError.invalidField("lock_acquire.mode", "READ is for READ_WRITE locks only");
    }
  }

  void checkRelease(LockReleaseRequest request) {
    checkName("lock_release.name", request.getName());
    switch (request.getHolderCase()) {
      case TOKEN -> checkPositive("lock_release.token", request.getToken());
      case SESSION -> checkSession("lock_release.session", request.getSession());
      case HOLDER_NOT_SET -> throw CoordError.invalidField("lock_release",
          "set token (release that grant) or session (release what it holds and waits for)");
    }
  }

  void checkBreak(LockBreakRequest request) {
    checkName("lock_break.name", request.getName());
    int reason = request.getReason().getBytes(StandardCharsets.UTF_8).length;
    if (reason == 0) {
      throw CoordError.invalidField("lock_break.reason", "required: say why, for the record");
    }
    if (reason > MAX_REASON_BYTES) {
      throw CoordError.limitExceeded("lock_break.reason", reason, MAX_REASON_BYTES, "bytes",
          "fixed");
    }
  }

  void checkName(String field, String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0) {
      throw CoordError.invalidField(field, "required (a non-empty name)");
    }
    if (bytes > maxNameBytes) {
      throw CoordError.limitExceeded(field, bytes, maxNameBytes, "bytes",
          ConfigKeys.MAX_KEY_BYTES.name());
    }
  }

  /** A prefix may be empty (every name). */
  void checkPrefix(String field, String prefix) {
    int bytes = prefix.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxNameBytes) {
      throw CoordError.limitExceeded(field, bytes, maxNameBytes, "bytes",
          ConfigKeys.MAX_KEY_BYTES.name());
    }
  }

  void checkCampaign(CampaignRequest request) {
    checkSize("campaign", request);
    checkName("campaign.name", request.getName());
    checkSession("campaign.session", request.getSession());
    checkValue("campaign.value", request.getValue().size());
    if (request.getTimeoutMs() < 0) {
      throw CoordError.invalidField("campaign.timeout_ms", "must not be negative (got "
          + request.getTimeoutMs() + "); 0 waits until elected");
    }
  }

  void checkProclaim(ProclaimRequest request) {
    checkSize("proclaim", request);
    checkName("proclaim.name", request.getName());
    checkPositive("proclaim.term", request.getTerm());
    checkValue("proclaim.value", request.getValue().size());
  }

  /** A fencing guard or HELD compare: a lock or election name and a token. */
  void checkFence(String field, Fence fence) {
    switch (fence.getTargetCase()) {
      case LOCK -> checkName(field + ".lock", fence.getLock());
      case ELECTION -> checkName(field + ".election", fence.getElection());
      case TARGET_NOT_SET -> throw CoordError.invalidField(field,
          "name the lock (lock) or the election (election) the token belongs to");
    }
    checkPositive(field + ".token", fence.getToken());
  }

  private void checkValue(String field, int bytes) {
    if (bytes > maxValueBytes) {
      throw CoordError.limitExceeded(field, bytes, maxValueBytes, "bytes",
          ConfigKeys.MAX_VALUE_BYTES.name());
    }
  }

  private void checkSize(String path, MessageLite request) {
    int size = request.getSerializedSize();
    if (size > maxRequestBytes) {
      throw CoordError.limitExceeded(path, size, maxRequestBytes, "bytes",
          ConfigKeys.MAX_REQUEST_BYTES.name());
    }
  }

  static void checkSession(String field, long session) {
    if (session <= 0) {
      throw CoordError.invalidField(field, "must be a session id > 0 (got " + session + ")");
    }
  }

  static void checkPositive(String field, long value) {
    if (value <= 0) {
      throw CoordError.invalidField(field, "must be > 0 (got " + value + ")");
    }
  }
}
