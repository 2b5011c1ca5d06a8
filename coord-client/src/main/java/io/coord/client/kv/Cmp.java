package io.coord.client.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.Compare.CompareResult;
import io.coord.proto.v1.Compare.CompareTarget;

/**
 * A condition of a transaction, e.g. {@code Cmp.version("k").equalTo(0)} ("k does not exist")
 * or {@code Cmp.value("k").equalTo("v")}. A missing key has version, create and mod revision
 * 0 and no value: any value comparison on it fails.
 */
public final class Cmp {
  private final Compare compare;

  private Cmp(Compare compare) {
    this.compare = compare;
  }

  Compare toProto() {
    return compare;
  }

  /** Compares the key's value. */
  public static ValueTarget value(String key) {
    return new ValueTarget(ByteString.copyFromUtf8(key));
  }

  /** Compares the key's value. */
  public static ValueTarget value(ByteString key) {
    return new ValueTarget(key);
  }

  /** Compares the key's version (0 if it does not exist). */
  public static NumberTarget version(String key) {
    return new NumberTarget(ByteString.copyFromUtf8(key), CompareTarget.VERSION);
  }

  /** Compares the revision that created the key (0 if it does not exist). */
  public static NumberTarget createRevision(String key) {
    return new NumberTarget(ByteString.copyFromUtf8(key), CompareTarget.CREATE);
  }

  /** Compares the revision that last modified the key (0 if it does not exist). */
  public static NumberTarget modRevision(String key) {
    return new NumberTarget(ByteString.copyFromUtf8(key), CompareTarget.MOD);
  }

  /** Compares the session the key is attached to (0 if none). */
  public static NumberTarget session(String key) {
    return new NumberTarget(ByteString.copyFromUtf8(key), CompareTarget.SESSION);
  }

  /**
   * Holds while {@code fence} is current: the lock grant (or leadership) it names still holds,
   * with a live session. {@code .negate()} it for "no longer current".
   */
  public static Cmp held(Fence fence) {
    return new Cmp(Compare.newBuilder().setTarget(CompareTarget.HELD)
        .setResult(CompareResult.EQUAL).setHeld(fence.toProto()).build());
  }

  /** Holds while the session {@code sessionId} is alive. */
  public static Cmp sessionAlive(long sessionId) {
    return new Cmp(Compare.newBuilder().setTarget(CompareTarget.SESSION_ALIVE)
        .setResult(CompareResult.EQUAL).setSession(sessionId).build());
  }

  /**
   * The opposite of a {@link #held} or {@link #sessionAlive} condition.
   *
   * @throws IllegalStateException for a key comparison (compare with the opposite operator)
   */
  public Cmp negate() {
    if (compare.getTarget() != CompareTarget.HELD
        && compare.getTarget() != CompareTarget.SESSION_ALIVE) {
      throw new IllegalStateException("negate() is for held() and sessionAlive(); for a key,"
          + " compare with the opposite operator");
    }
    return new Cmp(compare.toBuilder().setResult(compare.getResult() == CompareResult.EQUAL
        ? CompareResult.NOT_EQUAL : CompareResult.EQUAL).build());
  }

  /** Compares a numeric property of a key given as bytes. */
  public static NumberTarget of(ByteString key, CompareTarget target) {
    if (target == CompareTarget.VALUE) {
      throw new IllegalArgumentException("use Cmp.value for value comparisons");
    }
    return new NumberTarget(key, target);
  }

  /** The value side of a comparison. */
  public static final class ValueTarget {
    private final ByteString key;

    private ValueTarget(ByteString key) {
      this.key = key;
    }

    public Cmp equalTo(String value) {
      return equalTo(ByteString.copyFromUtf8(value));
    }

    public Cmp equalTo(ByteString value) {
      return build(CompareResult.EQUAL, value);
    }

    public Cmp notEqualTo(ByteString value) {
      return build(CompareResult.NOT_EQUAL, value);
    }

    public Cmp greaterThan(ByteString value) {
      return build(CompareResult.GREATER, value);
    }

    public Cmp lessThan(ByteString value) {
      return build(CompareResult.LESS, value);
    }

    private Cmp build(CompareResult result, ByteString value) {
      return new Cmp(Compare.newBuilder().setKey(key).setTarget(CompareTarget.VALUE)
          .setResult(result).setValue(value).build());
    }
  }

  /** The numeric side of a comparison. */
  public static final class NumberTarget {
    private final ByteString key;
    private final CompareTarget target;

    private NumberTarget(ByteString key, CompareTarget target) {
      this.key = key;
      this.target = target;
    }

    public Cmp equalTo(long number) {
      return build(CompareResult.EQUAL, number);
    }

    public Cmp notEqualTo(long number) {
      return build(CompareResult.NOT_EQUAL, number);
    }

    public Cmp greaterThan(long number) {
      return build(CompareResult.GREATER, number);
    }

    public Cmp lessThan(long number) {
      return build(CompareResult.LESS, number);
    }

    private Cmp build(CompareResult result, long number) {
      Compare.Builder compare = Compare.newBuilder().setKey(key).setTarget(target)
          .setResult(result);
      switch (target) {
        case VERSION -> compare.setVersion(number);
        case CREATE -> compare.setCreateRevision(number);
        case MOD -> compare.setModRevision(number);
        case SESSION -> compare.setSession(number);
        default -> throw new IllegalStateException("not numeric: " + target);
      }
      return new Cmp(compare.build());
    }
  }
}
