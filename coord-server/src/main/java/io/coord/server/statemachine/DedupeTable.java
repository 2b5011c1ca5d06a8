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
import java.util.List;

/**
 * Results of identified client writes, so a retry returns the first outcome instead of applying
 * twice (Raft thesis §6.3). Per client it keeps the results of sequences at or above the
 * client's first incomplete sequence; clients idle for {@link #RETENTION_MS} are forgotten.
 *
 * <p>The bounds are constants, not configuration: apply must behave identically on every
 * member whatever their configuration files say.
 */
final class DedupeTable {
  /** Idle time after which a client's results are forgotten (leader time). */
  static final long RETENTION_MS = 15 * 60 * 1000L;
  /** How often idle clients are swept (leader time). */
  static final long SWEEP_INTERVAL_MS = 60 * 1000L;
  /** Results kept per client at most; the oldest go first. */
  static final int MAX_RESULTS_PER_CLIENT = 10_000;

  private static final byte[] LAST_SWEEP = "dedupe/last_sweep_ms".getBytes(StandardCharsets.UTF_8);

  /**
   * What the table knows of a request, and the record of its client as the lookup found it
   * (null for a client it does not know).
   */
  record Lookup(CommandResult result, boolean completedBefore, ClientRecord client) {}

  Lookup lookup(WriteTxn txn, RequestId id) {
    ClientRecord client = client(txn, id.getClientId());
    if (client != null && Long.compareUnsigned(id.getSeq(), client.getFirstIncompleteSeq()) < 0) {
      return new Lookup(null, true, client);
    }
    byte[] stored = txn.get(ColumnFamily.DEDUPE, resultKey(id.getClientId(), id.getSeq()));
    return new Lookup(stored == null ? null : parseResult(stored), false, client);
  }

  /**
   * Records the result of a request that {@code lookup} found new. The client's record is taken
   * from the lookup, not read again: only this table writes client records, and nothing of it
   * runs between a command's lookup and its record.
   */
  void record(WriteTxn txn, RequestId id, Lookup lookup, CommandResult result,
      long leaderTimeMs) {
    long clientId = id.getClientId();
    ClientRecord previous = lookup.client();
    long firstIncomplete = previous == null ? 0 : previous.getFirstIncompleteSeq();
    long results = previous == null ? 0 : previous.getResults();
    if (Long.compareUnsigned(id.getFirstIncompleteSeq(), firstIncomplete) > 0) {
      results -= deleteResults(txn, resultKey(clientId, firstIncomplete),
          resultKey(clientId, id.getFirstIncompleteSeq()), Integer.MAX_VALUE);
      firstIncomplete = id.getFirstIncompleteSeq();
    }
    txn.put(ColumnFamily.DEDUPE, resultKey(clientId, id.getSeq()), result.toByteArray());
    results++;
    if (results > MAX_RESULTS_PER_CLIENT) {
      long oldest = oldestSeq(txn, clientId);
      results -= deleteResults(txn, resultKey(clientId, oldest), resultKey(clientId, oldest + 1),
          1);
      firstIncomplete = oldest + 1;
    }
    txn.put(ColumnFamily.CLIENTS, Bytes.longBytes(clientId), ClientRecord.newBuilder()
        .setFirstIncompleteSeq(firstIncomplete)
        .setLastSeenMs(leaderTimeMs)
        .setResults(results)
        .build().toByteArray());
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
      deleteResults(txn, resultKey(clientId, 0), resultKey(clientId, -1L), Integer.MAX_VALUE);
      txn.delete(ColumnFamily.DEDUPE, resultKey(clientId, -1L));
      txn.delete(ColumnFamily.CLIENTS, clientKey);
    }
  }

  private static long oldestSeq(WriteTxn txn, long clientId) {
    try (Cursor cursor = txn.scan(ColumnFamily.DEDUPE, resultKey(clientId, 0),
        resultKey(clientId, -1L))) {
      return Bytes.getLong(cursor.key(), 8);
    }
  }

  private static int deleteResults(WriteTxn txn, byte[] from, byte[] to, int max) {
    List<byte[]> keys = new ArrayList<>();
    try (Cursor cursor = txn.scan(ColumnFamily.DEDUPE, from, to)) {
      for (; cursor.valid() && keys.size() < max; cursor.next()) {
        keys.add(cursor.key());
      }
    }
    for (byte[] key : keys) {
      txn.delete(ColumnFamily.DEDUPE, key);
    }
    return keys.size();
  }

  private static ClientRecord client(WriteTxn txn, long clientId) {
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
