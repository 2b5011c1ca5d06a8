package io.coord.server.statemachine;

import io.coord.server.kv.KvEvent;
import io.coord.server.kv.KvMeta;
import io.coord.server.kv.KvWriter;
import io.coord.server.storage.WriteTxn;
import java.util.List;

/**
 * What a {@link CommandHandler} may use while applying one command: the entry's write
 * transaction, the key-value counters, the entry's position and the leader's time. Nothing here
 * reads a clock: {@link #leaderTimeMs()} was stamped into the entry by the leader.
 */
public final class ApplyContext {
  private final WriteTxn txn;
  private final KvMeta kvMeta;
  private final List<KvEvent> events;
  private final long term;
  private final long index;
  private final long leaderTimeMs;
  private final List<Runnable> afterCommit;

  ApplyContext(WriteTxn txn, KvMeta kvMeta, List<KvEvent> events, List<Runnable> afterCommit,
      long term, long index, long leaderTimeMs) {
    this.txn = txn;
    this.kvMeta = kvMeta;
    this.events = events;
    this.afterCommit = afterCommit;
    this.term = term;
    this.index = index;
    this.leaderTimeMs = leaderTimeMs;
  }

  public WriteTxn txn() {
    return txn;
  }

  public KvMeta kvMeta() {
    return kvMeta;
  }

  /** Starts the mutations of one new revision; call {@link KvWriter#finish()} when done. */
  public KvWriter newKvWriter() {
    return new KvWriter(txn, kvMeta, events);
  }

  /**
   * Runs {@code action} on the apply thread once the entry's writes are committed (not at all
   * if the command is refused). For updating in-memory views (caches, leader-only trackers) of
   * what the command changed; must not block.
   */
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  /** Raft term of the entry being applied. */
  public long term() {
    return term;
  }

  /** Raft log index of the entry being applied. */
  public long index() {
    return index;
  }

  /**
   * Wall-clock milliseconds of the leader that appended the entry, never less than that of any
   * earlier entry. The same on every member.
   */
  public long leaderTimeMs() {
    return leaderTimeMs;
  }
}
