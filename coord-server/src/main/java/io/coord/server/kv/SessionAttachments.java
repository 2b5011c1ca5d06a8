package io.coord.server.kv;

import io.coord.server.error.CoordError;
import io.coord.server.storage.Reader;
import io.coord.server.storage.WriteTxn;

/**
 * How the key-value store learns which sessions exist and tells the session store which keys
 * are attached to which session. Implemented by the session feature; called in apply only.
 */
public interface SessionAttachments {
  /** True if {@code session} exists and has not ended. */
  boolean exists(WriteTxn txn, long session);

  /** {@code key} is now attached to {@code session}. */
  void attach(WriteTxn txn, long session, byte[] key);

  /** {@code key} is no longer attached to {@code session}. */
  void detach(WriteTxn txn, long session, byte[] key);

  /**
   * The refusal of an attachment to {@code session}, which does not exist: says why when the
   * session store knows (for example that it expired, and when).
   */
  default CoordError missing(Reader reader, long session) {
    return CoordError.sessionNotFound(session);
  }

  /** No sessions at all: every session id is unknown. */
  SessionAttachments NONE = new SessionAttachments() {
    @Override
    public boolean exists(WriteTxn txn, long session) {
      return false;
    }

    @Override
    public void attach(WriteTxn txn, long session, byte[] key) {
      throw new IllegalStateException("no session can exist");
    }

    @Override
    public void detach(WriteTxn txn, long session, byte[] key) {
      throw new IllegalStateException("no session can exist");
    }
  };
}
