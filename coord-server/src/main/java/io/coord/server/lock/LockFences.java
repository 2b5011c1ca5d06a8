package io.coord.server.lock;

import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Fence;
import io.coord.server.command.LockEntry;
import io.coord.server.command.LockState;
import io.coord.server.error.CoordError;
import io.coord.server.kv.Fences;
import io.coord.server.session.SessionReader;
import io.coord.server.storage.WriteTxn;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks fencing guards against the locks and elections: a fence is current while a holder of
 * the named lock (the leader of the named election) has its token and a live session.
 */
public final class LockFences implements Fences {
  @Override
  public boolean current(WriteTxn txn, Fence fence) {
    return holders(txn, fence).stream().anyMatch(h -> h.getToken() == fence.getToken()
        && SessionReader.live(txn, h.getSession()).isPresent());
  }

  @Override
  public CoordError stale(WriteTxn txn, Fence fence) {
    boolean election = fence.hasElection();
    String name = election ? fence.getElection() : fence.getLock();
    String tokens = holders(txn, fence).stream().map(h -> Long.toString(h.getToken()))
        .collect(Collectors.joining(","));
    String what = (election ? "election \"" : "lock \"") + name + "\"";
    return new CoordError(ErrorReason.FENCING_TOKEN_STALE, "fencing token " + fence.getToken()
        + " of " + what + " is not current: "
        + (tokens.isEmpty() ? "nobody holds it now" : "it is held with token(s) " + tokens)
        + "; the write was refused",
        Map.of(election ? "election" : "lock", name, "token", Long.toString(fence.getToken()),
            "current_tokens", tokens));
  }

  private static List<LockEntry> holders(WriteTxn txn, Fence fence) {
    Optional<LockState> state = switch (fence.getTargetCase()) {
      case LOCK -> LockReader.state(txn, LockSpace.LOCK, fence.getLock());
      case ELECTION -> LockReader.state(txn, LockSpace.ELECTION, fence.getElection());
      case TARGET_NOT_SET -> Optional.empty();
    };
    return state.map(LockState::getHoldersList).orElse(List.of());
  }
}
