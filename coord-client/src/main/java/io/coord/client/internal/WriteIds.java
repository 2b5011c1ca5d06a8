package io.coord.client.internal;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exactly-once identity of this client's writes: one random client id, a sequence number
 * per write, and the lowest sequence still in flight (so the server can forget older results).
 */
public final class WriteIds {
  private final long clientId;
  private final AtomicLong nextSeq = new AtomicLong(1);
  private final ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();

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
  public long begin() {
    long seq = nextSeq.getAndIncrement();
    outstanding.add(seq);
    return seq;
  }

  /** The write with {@code seq} is finished (answered, or given up): it is never retried. */
  public void end(long seq) {
    outstanding.remove(seq);
  }

  /** The lowest sequence whose answer the client still waits for. */
  public long firstIncomplete() {
    Long first = outstanding.isEmpty() ? null : outstanding.first();
    return first != null ? first : nextSeq.get();
  }
}
