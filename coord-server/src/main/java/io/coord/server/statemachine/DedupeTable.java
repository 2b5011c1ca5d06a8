package io.coord.server.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.server.command.ClientRecord;
import io.coord.server.command.CommandResult;
import io.coord.server.command.RequestId;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.StorageException;
import io.coord.server.storage.WriteTxn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Results of identified client writes, so a retry returns the first outcome instead of applying
 * twice (Raft thesis §6.3). Per client it keeps the results of sequences at or above the
 * client's first incomplete sequence, at most those of its newest
 * {@link #MAX_RESULTS_PER_CLIENT} sequences; clients idle for {@link #RETENTION_MS} are
 * forgotten.
 *
 * <p>Client records change in memory while an entry applies and reach the store once per
 * entry ({@link #flush}): many commands of one entry usually come from one client.
 *
 * <p>The bounds are constants, not configuration: apply must behave identically on every
 * member whatever their configuration files say.
 */
final class DedupeTable {
  /** Idle time after which a client's results are forgotten (leader time). */
  static final long RETENTION_MS = 15 * 60 * 1000L;
  /** How often idle clients are swept (leader time). */
  static final long SWEEP_INTERVAL_MS = 60 * 1000L;
  /** Sequences per client whose results are kept at most: the newest ones. */
  static final int MAX_RESULTS_PER_CLIENT = 10_000;
  /**
   * Up to this many forgotten sequences are deleted key by key, without reading; more are
   * found by a scan, which visits only the results that exist.
   */
  static final int BLIND_DELETES_MAX = 256;

  private static final byte[] LAST_SWEEP = "dedupe/last_sweep_ms".getBytes(StandardCharsets.UTF_8);

  /** Client records changed by the entry being applied, not yet in the store. */
  private final Map<Long, ClientRecord> changedClients = new HashMap<>();

  /**
   * What the table knows of a request, and the record of its client as the lookup found it
   * (null for a client it does not know).
   */
  record Lookup(CommandResult result, boolean completedBefore, ClientRecord client) {}

  /** Forgets client records left by an entry that failed to apply; call before each entry. */
  void beginEntry() {
    changedClients.clear();
  }

  Lookup lookup(WriteTxn txn, RequestId id) {
    ClientRecord client = client(txn, id.getClientId());
    if (client != null && Long.compareUnsigned(id.getSeq(), client.getFirstIncompleteSeq()) < 0) {
      return new Lookup(null, true, client);
    }
    if (client != null && client.hasHighestSeq()
        && Long.compareUnsigned(id.getSeq(), client.getHighestSeq()) > 0) {
      return new Lookup(null, false, client);
    }
    byte[] stored = txn.get(ColumnFamily.DEDUPE, resultKey(id.getClientId(), id.getSeq()));
    return new Lookup(stored == null ? null : parseResult(stored), false, client);
  }

  /**
   * Records the result of a request that {@code lookup} found new, and forgets the results the
   * client no longer needs: below the first incomplete sequence it declares, and beyond the
   * newest {@link #MAX_RESULTS_PER_CLIENT} sequences. A result below the first incomplete
   * sequence is not kept: the client declared that request complete, so no retry will ask.
   */
  void record(WriteTxn txn, RequestId id, Lookup lookup, CommandResult result,
      long leaderTimeMs) {
    long clientId = id.getClientId();
    long seq = id.getSeq();
    ClientRecord previous = lookup.client();
    long kept = previous == null ? 0 : previous.getFirstIncompleteSeq();
    long firstIncomplete = maxUnsigned(kept, id.getFirstIncompleteSeq());
    if (Long.compareUnsigned(seq, firstIncomplete) >= 0
        && Long.compareUnsigned(seq - firstIncomplete, MAX_RESULTS_PER_CLIENT) >= 0) {
      firstIncomplete = seq - MAX_RESULTS_PER_CLIENT + 1;
    }
    if (previous != null && Long.compareUnsigned(firstIncomplete, kept) > 0) {
      deleteResults(txn, clientId, kept, firstIncomplete);
    }
    if (Long.compareUnsigned(seq, firstIncomplete) >= 0) {
      txn.put(ColumnFamily.DEDUPE, resultKey(clientId, seq), result.toByteArray());
    }
    ClientRecord.Builder next = ClientRecord.newBuilder()
        .setFirstIncompleteSeq(firstIncomplete)
        .setLastSeenMs(leaderTimeMs);
    if (previous == null) {
      next.setHighestSeq(seq);
    } else if (previous.hasHighestSeq()) {
      next.setHighestSeq(maxUnsigned(previous.getHighestSeq(), seq));
    }
    changedClients.put(clientId, next.build());
  }

  /** Writes the client records the entry changed; call after its last command. */
  void flush(WriteTxn txn) {
    changedClients.forEach((clientId, record) ->
        txn.put(ColumnFamily.CLIENTS, Bytes.longBytes(clientId), record.toByteArray()));
    changedClients.clear();
  }

  /** Forgets clients idle longer than the retention, at most once per sweep interval. */
  void sweep(WriteTxn txn, long leaderTimeMs) {
    byte[] last = txn.get(ColumnFamily.META, LAST_SWEEP);
    if (last != null && leaderTimeMs - Bytes.toLong(last) < SWEEP_INTERVAL_MS) {
      return;
    }
    txn.put(ColumnFamily.META, LAST_SWEEP, Bytes.longBytes(leaderTimeMs));
    List<byte[]> idle = new ArrayList<>();
    try (Cursor cursor = txn.scan(ColumnFamily.CLIENTS, null, null)) {
      for (; cursor.valid(); cursor.next()) {
        if (leaderTimeMs - parseClient(cursor.value()).getLastSeenMs() > RETENTION_MS) {
          idle.add(cursor.key());
        }
      }
    }
    for (byte[] clientKey : idle) {
      long clientId = Bytes.toLong(clientKey);
      scanDelete(txn, resultKey(clientId, 0), resultKey(clientId, -1L));
      txn.delete(ColumnFamily.DEDUPE, resultKey(clientId, -1L));
      txn.delete(ColumnFamily.CLIENTS, clientKey);
    }
  }

  /** Deletes the client's results of sequences {@code from} (inclusive) to {@code to}. */
  private static void deleteResults(WriteTxn txn, long clientId, long from, long to) {
    if (Long.compareUnsigned(to - from, BLIND_DELETES_MAX) > 0) {
      scanDelete(txn, resultKey(clientId, from), resultKey(clientId, to));
      return;
    }
    for (long seq = from; seq != to; seq++) {
      txn.delete(ColumnFamily.DEDUPE, resultKey(clientId, seq));
    }
  }

  private static void scanDelete(WriteTxn txn, byte[] from, byte[] to) {
    List<byte[]> keys = new ArrayList<>();
    try (Cursor cursor = txn.scan(ColumnFamily.DEDUPE, from, to)) {
      for (; cursor.valid(); cursor.next()) {
        keys.add(cursor.key());
      }
    }
    for (byte[] key : keys) {
      txn.delete(ColumnFamily.DEDUPE, key);
    }
  }

  private static long maxUnsigned(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }

  private ClientRecord client(WriteTxn txn, long clientId) {
    ClientRecord changed = changedClients.get(clientId);
    if (changed != null) {
      return changed;
    }
    byte[] stored = txn.get(ColumnFamily.CLIENTS, Bytes.longBytes(clientId));
    return stored == null ? null : parseClient(stored);
  }

  private static byte[] resultKey(long clientId, long seq) {
    byte[] key = new byte[16];
    Bytes.putLong(key, 0, clientId);
    Bytes.putLong(key, 8, seq);
    return key;
  }

  private static ClientRecord parseClient(byte[] stored) {
    try {
      return ClientRecord.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt client record", e);
    }
  }

  private static CommandResult parseResult(byte[] stored) {
    try {
      return CommandResult.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt dedupe result", e);
    }
  }
}
