package io.coord.client.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.DeleteRangeRequest;

/** Options of a delete. Immutable; build with {@link #builder()}. */
public final class DeleteOptions {
  /** Deletes the single key. */
  public static final DeleteOptions DEFAULT = builder().build();

  private final RangeSpec range;
  private final boolean prevKv;
  private final Fence guard;

  private DeleteOptions(Builder b) {
    this.guard = b.guard;
    this.range = b.range;
    this.prevKv = b.prevKv;
  }

  public static Builder builder() {
    return new Builder();
  }

  DeleteRangeRequest toRequest(ByteString key) {
    DeleteRangeRequest.Builder request = DeleteRangeRequest.newBuilder();
    if (guard != null) {
      request.setGuard(guard.toProto());
    }
    return request
        .setKey(key)
        .setRangeEnd(range.rangeEnd(key))
        .setPrevKv(prevKv)
        .build();
  }

  /** Builds {@link DeleteOptions}. */
  public static final class Builder {
    private RangeSpec range = RangeSpec.SINGLE;
    private boolean prevKv;
    private Fence guard;

    /** Deletes only while {@code fence} is current (see {@link PutOptions.Builder#guard}). */
    public Builder guard(Fence fence) {
      this.guard = fence;
      return this;
    }

    /** Deletes every key that starts with the given key. */
    public Builder prefix() {
      this.range = RangeSpec.PREFIX;
      return this;
    }

    /** Deletes every key from the given key on. */
    public Builder fromKey() {
      this.range = RangeSpec.FROM_KEY;
      return this;
    }

    /** Deletes the keys in {@code [key, rangeEnd)}. */
    public Builder rangeEnd(ByteString rangeEnd) {
      this.range = RangeSpec.explicit(rangeEnd);
      return this;
    }

    /** Returns the deleted key-values. */
    public Builder prevKv() {
      this.prevKv = true;
      return this;
    }

    public DeleteOptions build() {
      return new DeleteOptions(this);
    }
  }
}
