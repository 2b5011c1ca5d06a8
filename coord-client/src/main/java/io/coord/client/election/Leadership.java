package io.coord.client.election;

import com.google.protobuf.ByteString;
import io.coord.client.internal.HoldLoss;
import io.coord.client.kv.Fence;
import io.coord.client.session.Session;
import io.coord.client.session.SessionLoss;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * This client's leadership of an election, won by a campaign; it lasts until resigned or until
 * its session ends. {@link #lost()} completes when the session is LOST, which the client
 * declares before the server can expire the session, hence before anyone else can be elected.
 * Guard writes with {@link #fence()} (the term) so that a leader paused past its loss cannot
 * act on what the next leader owns. Thread-safe.
 */
public final class Leadership implements AutoCloseable {
  private final ElectionClient client;
  private final String name;
  private final long term;
  private final Session session;
  private final Instant since;
  private final long revision;
  private volatile ByteString value;
  private final HoldLoss hold;

  Leadership(ElectionClient client, LeaderInfo info, Session session) {
    this.client = client;
    this.name = info.name();
    this.term = info.term();
    this.session = session;
    this.hold = new HoldLoss(session);
    this.since = info.since();
    this.revision = info.revision();
    this.value = info.value();
  }

  public String name() {
    return name;
  }

  /** The term: the fencing token of this leadership. */
  public long term() {
    return term;
  }

  /** The term as a write guard for the key-value store. */
  public Fence fence() {
    return Fence.election(name, term);
  }

  /** The value this leader publishes. */
  public ByteString value() {
    return value;
  }

  public Session session() {
    return session;
  }

  /** Leader wall-clock time of the election. */
  public Instant since() {
    return since;
  }

  /** The store revision that elected this leader. */
  public long revision() {
    return revision;
  }

  /** Completes when the session is LOST while this leadership was not resigned. */
  public CompletableFuture<SessionLoss> lost() {
    return hold.lost();
  }

  /** True until resigned or lost. */
  public boolean isLeader() {
    return hold.holds();
  }

  /**
   * Publishes a new value (observers see it, same term).
   *
   * @throws io.coord.client.CoordException NOT_ELECTION_LEADER if this leadership ended
   */
  public void proclaim(ByteString newValue) {
    client.proclaim(name, term, newValue);
    value = newValue;
  }

  public void proclaim(String newValue) {
    proclaim(ByteString.copyFromUtf8(newValue));
  }

  /** Steps down; the next campaigner is elected. Idempotent; never throws. */
  public void resign() {
    if (hold.end()) {
      client.resignQuietly(name, term);
    }
  }

  @Override
  public void close() {
    resign();
  }

  @Override
  public String toString() {
    return "Leadership{" + name + ", term=" + term + ", session=" + session.id() + "}";
  }
}
