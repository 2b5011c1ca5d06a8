package io.coord.client.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.PutRequest;

/** Options of a put. Immutable; build with {@link #builder()}. */
public final class PutOptions {
  /** A plain put. */
  public static final PutOptions DEFAULT = builder().build();

  private final long session;
  private final boolean prevKv;
  private final boolean ignoreValue;
  private final boolean ignoreSession;
  private final Fence guard;

  private PutOptions(Builder b) {
    this.guard = b.guard;
    this.session = b.session;
    this.prevKv = b.prevKv;
    this.ignoreValue = b.ignoreValue;
    this.ignoreSession = b.ignoreSession;
  }

  public static Builder builder() {
    return new Builder();
  }

  PutRequest toRequest(ByteString key, ByteString value) {
    PutRequest.Builder request = PutRequest.newBuilder();
    if (guard != null) {
      request.setGuard(guard.toProto());
    }
    return request
        .setKey(key)
        .setValue(ignoreValue ? ByteString.EMPTY : value)
        .setSession(session)
        .setPrevKv(prevKv)
        .setIgnoreValue(ignoreValue)
        .setIgnoreSession(ignoreSession)
        .build();
  }

  /** Builds {@link PutOptions}. */
  public static final class Builder {
    private long session;
    private boolean prevKv;
    private boolean ignoreValue;
    private boolean ignoreSession;
    private Fence guard;

    /**
     * Applies the put only while {@code fence} is current: if the lock grant (or leadership)
     * it names ended, the put fails with {@code FENCING_TOKEN_STALE} and changes nothing.
     */
    public Builder guard(Fence fence) {
      this.guard = fence;
      return this;
    }

    /** Attaches the key to a session: it is deleted when the session ends. */
    public Builder session(long sessionId) {
      this.session = sessionId;
      return this;
    }

    /** Returns the previous version of the key. */
    public Builder prevKv() {
      this.prevKv = true;
      return this;
    }

    /** Keeps the current value (the key must exist). */
    public Builder ignoreValue() {
      this.ignoreValue = true;
      return this;
    }

    /** Keeps the current session attachment (the key must exist). */
    public Builder ignoreSession() {
      this.ignoreSession = true;
      return this;
    }

    public PutOptions build() {
      return new PutOptions(this);
    }
  }
}
