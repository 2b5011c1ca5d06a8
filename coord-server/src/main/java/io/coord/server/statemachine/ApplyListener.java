package io.coord.server.statemachine;

import io.coord.server.kv.KvEvent;
import java.util.List;

/**
 * Told about every applied entry after its changes are committed. Called on the apply thread:
 * implementations must not block.
 */
public interface ApplyListener {
  /**
   * An entry was applied.
   *
   * @param index its Raft log index
   * @param revision the store revision after it
   * @param events the key changes it made, in revision order (possibly empty)
   */
  void onApplied(long index, long revision, List<KvEvent> events);

  /** The whole state was replaced (snapshot installed); derived views must be rebuilt. */
  default void onStateReplaced(long index, long revision) {}
}
