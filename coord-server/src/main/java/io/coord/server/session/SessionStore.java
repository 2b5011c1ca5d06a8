package io.coord.server.session;

import io.coord.proto.v1.EndedSession;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.SessionEndReason;
import io.coord.proto.v1.SessionGrantResponse;
import io.coord.server.command.SessionRecord;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KvWriter;
import io.coord.server.kv.SessionAttachments;
import io.coord.server.statemachine.ApplyContext;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Reader;
import io.coord.server.storage.WriteTxn;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The replicated sessions: grants, the keys attached to each, ends and the bounded record of
 * recent ends. Apply-side only: deterministic, reads no clock (times come from the leader's
 * stamp in the entry).
 */
public final class SessionStore implements SessionAttachments {
  /**
   * Recorded ends kept for inspection; the oldest go first. A constant, not configuration:
   * apply must behave identically on every member.
   */
  public static final int ENDS_KEPT = 1000;

  private static final byte[] EMPTY = new byte[0];

  private final List<SessionEndListener> endListeners = new CopyOnWriteArrayList<>();
  private volatile SessionEvents events = SessionEvents.NONE;

  /** Registers a feature to tell about every session end. Call before the first apply. */
  public void addEndListener(SessionEndListener listener) {
    endListeners.add(listener);
  }

  /** Where grants and ends are reported after commit (the leader's tracker). */
  public void setEvents(SessionEvents events) {
    this.events = events;
  }

  @Override
  public boolean exists(WriteTxn txn, long session) {
    return SessionReader.live(txn, session).isPresent();
  }

  @Override
  public void attach(WriteTxn txn, long session, byte[] key) {
    SessionRecord record = SessionReader.live(txn, session).orElseThrow(
        () -> new IllegalStateException("attach to missing session " + session));
    txn.put(ColumnFamily.SESSION_KEYS, SessionKeys.attached(session, key), EMPTY);
    save(txn, record.toBuilder().setKeyCount(record.getKeyCount() + 1).build());
  }

  @Override
  public void detach(WriteTxn txn, long session, byte[] key) {
    txn.delete(ColumnFamily.SESSION_KEYS, SessionKeys.attached(session, key));
    SessionReader.live(txn, session).ifPresent(record ->
        save(txn, record.toBuilder().setKeyCount(record.getKeyCount() - 1).build()));
  }

  @Override
  public CoordError missing(Reader reader, long session) {
    return notFound(reader, session);
  }

  /** SESSION_NOT_FOUND for {@code session}, saying how it ended if that is recorded. */
  public static CoordError notFound(Reader reader, long session) {
    Optional<EndedSession> end = session > 0 ? SessionReader.ended(reader, session)
        : Optional.empty();
    if (end.isEmpty()) {
      return new CoordError(ErrorReason.SESSION_NOT_FOUND, "session " + session
          + " not found: never granted, or ended before the last " + ENDS_KEPT
          + " recorded ends", Map.of("session", Long.toString(session)));
    }
    EndedSession e = end.get();
    return new CoordError(ErrorReason.SESSION_NOT_FOUND, "session " + session
        + " not found: it ended (" + e.getReason() + ") at revision " + e.getRevision()
        + ", deleting " + e.getKeysDeleted() + " keys",
        Map.of("session", Long.toString(session), "end_reason", e.getReason().name(),
            "end_revision", Long.toString(e.getRevision())));
  }

  /** Creates a session with the next id. */
  public SessionGrantResponse grant(ApplyContext context, long ttlMs) {
    WriteTxn txn = context.txn();
    long id = SessionReader.counter(txn, SessionKeys.NEXT_ID, 1);
    save(txn, SessionRecord.newBuilder()
        .setId(id)
        .setTtlMs(ttlMs)
        .setGrantedRevision(context.kvMeta().revision())
        .setGrantedAtMs(context.leaderTimeMs())
        .build());
    txn.put(ColumnFamily.META, SessionKeys.NEXT_ID, Bytes.longBytes(id + 1));
    SessionEvents told = events;
    context.afterCommit(() -> told.granted(id, ttlMs));
    return SessionGrantResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(context.kvMeta().revision()))
        .setId(id)
        .setTtl(ttlMs / 1000)
        .build();
  }

  /**
   * Ends a live session: deletes its keys in one revision (shared with the changes of the
   * {@link SessionEndListener}s), forgets it and records the end.
   *
   * @return the recorded end, or empty if the session was not live
   */
  public Optional<EndedSession> end(ApplyContext context, long sessionId,
      SessionEndReason reason) {
    WriteTxn txn = context.txn();
    Optional<SessionRecord> live = SessionReader.live(txn, sessionId);
    if (live.isEmpty()) {
      return Optional.empty();
    }
    SessionRecord record = live.get();
    KvWriter writer = context.newKvWriter();
    long deleted = 0;
    for (byte[] key : SessionReader.keys(txn, sessionId)) {
      KeyValue current = writer.current(key);
      if (current != null && current.getSession() == sessionId) {
        writer.delete(current);
        deleted++;
      }
      txn.delete(ColumnFamily.SESSION_KEYS, SessionKeys.attached(sessionId, key));
    }
    txn.delete(ColumnFamily.SESSIONS, SessionKeys.id(sessionId));
    for (SessionEndListener listener : endListeners) {
      listener.onSessionEnd(context, writer, sessionId, reason);
    }
    long revision = writer.finish();
    EndedSession end = EndedSession.newBuilder()
        .setId(sessionId)
        .setReason(reason)
        .setRevision(revision)
        .setEndedAtMs(context.leaderTimeMs())
        .setKeysDeleted(deleted)
        .setTtl(record.getTtlMs() / 1000)
        .setGrantedAtMs(record.getGrantedAtMs())
        .build();
    recordEnd(txn, end);
    SessionEvents told = events;
    context.afterCommit(() -> told.ended(sessionId));
    return Optional.of(end);
  }

  private static void recordEnd(WriteTxn txn, EndedSession end) {
    long seq = SessionReader.counter(txn, SessionKeys.NEXT_END, 1);
    txn.put(ColumnFamily.SESSIONS_ENDED, Bytes.longBytes(seq), end.toByteArray());
    txn.put(ColumnFamily.META, SessionKeys.NEXT_END, Bytes.longBytes(seq + 1));
    long kept = SessionReader.counter(txn, SessionKeys.ENDS_KEPT, 0) + 1;
    if (kept > ENDS_KEPT) {
      // The records are the last `kept` sequences; the oldest is named, not looked for: a scan
      // from the front would step over the tombstones of every record deleted before it.
      txn.delete(ColumnFamily.SESSIONS_ENDED, Bytes.longBytes(seq - kept + 1));
      kept--;
    }
    txn.put(ColumnFamily.META, SessionKeys.ENDS_KEPT, Bytes.longBytes(kept));
  }

  private static void save(WriteTxn txn, SessionRecord record) {
    txn.put(ColumnFamily.SESSIONS, SessionKeys.id(record.getId()), record.toByteArray());
  }
}
