package io.coord.server.kv;

import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Fence;
import io.coord.server.error.CoordError;
import io.coord.server.storage.WriteTxn;
import java.util.Map;

/**
 * How the key-value store checks fencing guards and {@code HELD} compares against the locks and
 * elections. Implemented by the lock feature; called in apply only.
 */
public interface Fences {
  /** True if {@code fence} names a current grant, held by a live session. */
  boolean current(WriteTxn txn, Fence fence);

  /** The refusal of a write guarded by {@code fence}, which is not current. */
  CoordError stale(WriteTxn txn, Fence fence);

  /** No locks at all: no fence is ever current. */
  Fences NONE = new Fences() {
    @Override
    public boolean current(WriteTxn txn, Fence fence) {
      return false;
    }

    @Override
    public CoordError stale(WriteTxn txn, Fence fence) {
      return new CoordError(ErrorReason.FENCING_TOKEN_STALE, "fencing token " + fence.getToken()
          + " is not current", Map.of("token", Long.toString(fence.getToken())));
    }
  };
}
