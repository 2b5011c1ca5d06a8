package io.coord.client.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.RangeRequest;

/**
 * Options of a read: the range, the revision, the consistency and what to return. Immutable;
 * build with {@link #builder()}. {@link #DEFAULT} reads one key, linearizably, at the current
 * revision.
 */
public final class GetOptions {
  /** One key, linearizable, current revision, values included. */
  public static final GetOptions DEFAULT = builder().build();

  private final RangeSpec range;
  private final long limit;
  private final long revision;
  private final boolean serializable;
  private final boolean keysOnly;
  private final boolean countOnly;
  private final long minRevision;
  private final RangeRequest.SortTarget sortTarget;
  private final RangeRequest.SortOrder sortOrder;

  private GetOptions(Builder b) {
    this.range = b.range;
    this.limit = b.limit;
    this.revision = b.revision;
    this.serializable = b.serializable;
    this.keysOnly = b.keysOnly;
    this.countOnly = b.countOnly;
    this.minRevision = b.minRevision;
    this.sortTarget = b.sortTarget;
    this.sortOrder = b.sortOrder;
  }

  public static Builder builder() {
    return new Builder();
  }

  RangeRequest toRequest(ByteString key) {
    return RangeRequest.newBuilder()
        .setKey(key)
        .setRangeEnd(range.rangeEnd(key))
        .setLimit(limit)
        .setRevision(revision)
        .setSerializable(serializable)
        .setKeysOnly(keysOnly)
        .setCountOnly(countOnly)
        .setMinRevision(minRevision)
        .setSortTarget(sortTarget)
        .setSortOrder(sortOrder)
        .build();
  }

  /** Builds {@link GetOptions}. */
  public static final class Builder {
    private RangeSpec range = RangeSpec.SINGLE;
    private long limit;
    private long revision;
    private boolean serializable;
    private boolean keysOnly;
    private boolean countOnly;
    private long minRevision;
    private RangeRequest.SortTarget sortTarget = RangeRequest.SortTarget.KEY;
    private RangeRequest.SortOrder sortOrder = RangeRequest.SortOrder.NONE;

    /** Reads every key that starts with the given key. */
    public Builder prefix() {
      this.range = RangeSpec.PREFIX;
      return this;
    }

    /** Reads every key from the given key on. */
    public Builder fromKey() {
      this.range = RangeSpec.FROM_KEY;
      return this;
    }

    /** Reads the keys in {@code [key, rangeEnd)}. */
    public Builder rangeEnd(ByteString rangeEnd) {
      this.range = RangeSpec.explicit(rangeEnd);
      return this;
    }

    /** Returns at most {@code limit} keys (0: no limit). */
    public Builder limit(long limit) {
      this.limit = limit;
      return this;
    }

    /** Reads the store as it was at {@code revision} (0: current). */
    public Builder revision(long revision) {
      this.revision = revision;
      return this;
    }

    /**
     * Reads the serving member's local state without a ReadIndex round: faster, possibly
     * stale. Combine with {@link #minRevision} for read-your-writes.
     */
    public Builder serializable() {
      this.serializable = true;
      return this;
    }

    /** Returns keys and metadata without values. */
    public Builder keysOnly() {
      this.keysOnly = true;
      return this;
    }

    /** Returns only the count of keys. */
    public Builder countOnly() {
      this.countOnly = true;
      return this;
    }

    /** Waits until the serving member applied at least {@code revision} before reading. */
    public Builder minRevision(long revision) {
      this.minRevision = revision;
      return this;
    }

    /** Sorts the result. */
    public Builder sort(RangeRequest.SortTarget target, RangeRequest.SortOrder order) {
      this.sortTarget = target;
      this.sortOrder = order;
      return this;
    }

    public GetOptions build() {
      return new GetOptions(this);
    }
  }
}
