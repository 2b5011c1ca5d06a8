package io.coord.server.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.EndedSession;
import io.coord.proto.v1.SessionInfo;
import io.coord.server.command.SessionRecord;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.Reader;
import io.coord.server.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads sessions from one consistent state of the store (apply and read paths alike). */
public final class SessionReader {
  private SessionReader() {}

  /** The live session {@code sessionId}, if it exists. */
  public static Optional<SessionRecord> live(Reader reader, long sessionId) {
    if (sessionId <= 0) {
      return Optional.empty();
    }
    byte[] stored = reader.get(ColumnFamily.SESSIONS, SessionKeys.id(sessionId));
    return stored == null ? Optional.empty() : Optional.of(parseRecord(stored));
  }

  /** Every live session, by id. */
  public static List<SessionRecord> live(Reader reader) {
    List<SessionRecord> sessions = new ArrayList<>();
    try (Cursor cursor = reader.scan(ColumnFamily.SESSIONS, null, null)) {
      for (; cursor.valid(); cursor.next()) {
        sessions.add(parseRecord(cursor.value()));
      }
    }
    return sessions;
  }

  /** The keys attached to {@code sessionId}, in key order. */
  public static List<byte[]> keys(Reader reader, long sessionId) {
    List<byte[]> keys = new ArrayList<>();
    try (Cursor cursor = reader.scan(ColumnFamily.SESSION_KEYS,
        SessionKeys.attachedStart(sessionId), SessionKeys.attachedEnd(sessionId))) {
      for (; cursor.valid(); cursor.next()) {
        keys.add(SessionKeys.attachedKey(cursor.key()));
      }
    }
    return keys;
  }

  /** The recorded ends, newest first. */
  public static List<EndedSession> ended(Reader reader) {
    List<EndedSession> ended = new ArrayList<>();
    try (Cursor cursor = reader.scanReverse(ColumnFamily.SESSIONS_ENDED, null, null)) {
      for (; cursor.valid(); cursor.next()) {
        ended.add(parseEnded(cursor.value()));
      }
    }
    return ended;
  }

  /** The recorded end of {@code sessionId}, if it is among the recorded ones. */
  public static Optional<EndedSession> ended(Reader reader, long sessionId) {
    try (Cursor cursor = reader.scanReverse(ColumnFamily.SESSIONS_ENDED, null, null)) {
      for (; cursor.valid(); cursor.next()) {
        EndedSession end = parseEnded(cursor.value());
        if (end.getId() == sessionId) {
          return Optional.of(end);
        }
      }
    }
    return Optional.empty();
  }

  /** The public description of a live session. */
  public static SessionInfo.Builder info(SessionRecord record, long remainingMs) {
    return SessionInfo.newBuilder()
        .setId(record.getId())
        .setTtl(record.getTtlMs() / 1000)
        .setRemainingMs(remainingMs)
        .setKeyCount(record.getKeyCount())
        .setGrantedRevision(record.getGrantedRevision())
        .setGrantedAtMs(record.getGrantedAtMs());
  }

  /** {@link #info} with the attached keys. */
  public static SessionInfo.Builder infoWithKeys(Reader reader, SessionRecord record,
      long remainingMs) {
    SessionInfo.Builder info = info(record, remainingMs);
    for (byte[] key : keys(reader, record.getId())) {
      info.addKeys(ByteString.copyFrom(key));
    }
    return info;
  }

  static long counter(Reader reader, byte[] key, long missing) {
    byte[] value = reader.get(ColumnFamily.META, key);
    return value == null ? missing : Bytes.toLong(value);
  }

  static SessionRecord parseRecord(byte[] stored) {
    try {
      return SessionRecord.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt session record", e);
    }
  }

  static EndedSession parseEnded(byte[] stored) {
    try {
      return EndedSession.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt ended-session record", e);
    }
  }
}
