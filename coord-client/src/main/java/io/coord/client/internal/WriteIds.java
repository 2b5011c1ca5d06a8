package io.coord.client.internal;

import java.security.SecureRandom;
import java.util.TreeSet;

/**
 * The exactly-once identity of this client's writes: one random client id, a sequence number
 * per write, and the lowest sequence still in flight (so the server can forget older results).
 */
public final class WriteIds {
  private final long clientId;
  // Both guarded by this: handing out a sequence and marking it in flight is one step, so the
  // lowest in flight never passes a sequence being handed out.
  private long nextSeq = 1;
  private final TreeSet<Long> outstanding = new TreeSet<>();

  public WriteIds() {
    SecureRandom random = new SecureRandom();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    this.clientId = id;
  }

  public long clientId() {
    return clientId;
  }

  /** Starts a write; every attempt of it must carry the returned sequence. */
  public synchronized long begin() {
    long seq = nextSeq++;
    outstanding.add(seq);
    return seq;
  }

  /** The write with {@code seq} is finished (answered, or given up): it is never retried. */
  public synchronized void end(long seq) {
    outstanding.remove(seq);
  }

  /** The lowest sequence whose answer the client still waits for. */
  public synchronized long firstIncomplete() {
    return outstanding.isEmpty() ? nextSeq : outstanding.first();
  }
}
