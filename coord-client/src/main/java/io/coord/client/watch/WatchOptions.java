package io.coord.client.watch;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.WatchCreateRequest;

/**
 * What a watch covers and delivers: the range, the first revision, previous versions and
 * filters. Immutable; build with {@link #builder()}. {@link #DEFAULT} watches one key from the
 * next revision on.
 */
public final class WatchOptions {
  /** One key, from the next revision, without previous versions. */
  public static final WatchOptions DEFAULT = builder().build();

  private enum Range { SINGLE, PREFIX, FROM_KEY, EXPLICIT }

  private final Range range;
  private final ByteString rangeEnd;
  private final long startRevision;
  private final boolean prevKv;
  private final boolean noPut;
  private final boolean noDelete;

  private WatchOptions(Builder b) {
    this.range = b.range;
    this.rangeEnd = b.rangeEnd;
    this.startRevision = b.startRevision;
    this.prevKv = b.prevKv;
    this.noPut = b.noPut;
    this.noDelete = b.noDelete;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first revision asked for (0: the next one). */
  public long startRevision() {
    return startRevision;
  }

  /** The same options starting at {@code revision}. */
  public WatchOptions withStartRevision(long revision) {
    Builder b = toBuilder();
    b.startRevision = revision;
    return b.build();
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.range = range;
    b.rangeEnd = rangeEnd;
    b.startRevision = startRevision;
    b.prevKv = prevKv;
    b.noPut = noPut;
    b.noDelete = noDelete;
    return b;
  }

  /** The end of the watched range for {@code key}, with the KV API's rules. */
  public ByteString rangeEnd(ByteString key) {
    return switch (range) {
      case SINGLE -> ByteString.EMPTY;
      case PREFIX -> prefixEnd(key);
      case FROM_KEY -> ByteString.copyFrom(new byte[] {0});
      case EXPLICIT -> rangeEnd;
    };
  }

  private static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }

  WatchCreateRequest toRequest(ByteString key) {
    WatchCreateRequest.Builder request = WatchCreateRequest.newBuilder()
        .setKey(key)
        .setRangeEnd(rangeEnd(key))
        .setStartRevision(startRevision)
        .setPrevKv(prevKv)
        .setProgressNotify(true)
        .setFragment(true);
    if (noPut) {
      request.addFilters(WatchCreateRequest.FilterType.NOPUT);
    }
    if (noDelete) {
      request.addFilters(WatchCreateRequest.FilterType.NODELETE);
    }
    return request.build();
  }

  /** Builds {@link WatchOptions}. */
  public static final class Builder {
    private Range range = Range.SINGLE;
    private ByteString rangeEnd = ByteString.EMPTY;
    private long startRevision;
    private boolean prevKv;
    private boolean noPut;
    private boolean noDelete;

    /** Watches every key that starts with the given key. */
    public Builder prefix() {
      this.range = Range.PREFIX;
      return this;
    }

    /** Watches every key from the given key on. */
    public Builder fromKey() {
      this.range = Range.FROM_KEY;
      return this;
    }

    /** Watches the keys in {@code [key, rangeEnd)}. */
    public Builder rangeEnd(ByteString rangeEnd) {
      this.range = Range.EXPLICIT;
      this.rangeEnd = rangeEnd;
      return this;
    }

    /**
     * Delivers every event from {@code revision} on: the retained history first, then live
     * changes. 0 (the default) means from the next revision. A revision at or below the
     * cluster's compact revision ends the watch with
     * {@link WatchListener#onCompacted(long)}. Must not be negative.
     */
    public Builder startRevision(long revision) {
      if (revision < 0) {
        throw new IllegalArgumentException("start revision must not be negative: " + revision);
      }
      this.startRevision = revision;
      return this;
    }

    /** Includes the previous version of the key in every event. */
    public Builder prevKv() {
      this.prevKv = true;
      return this;
    }

    /** Leaves out puts. */
    public Builder noPut() {
      this.noPut = true;
      return this;
    }

    /** Leaves out deletes. */
    public Builder noDelete() {
      this.noDelete = true;
      return this;
    }

    public WatchOptions build() {
      return new WatchOptions(this);
    }
  }
}
