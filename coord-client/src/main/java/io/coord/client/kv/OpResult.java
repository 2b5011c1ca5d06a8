package io.coord.client.kv;

import io.coord.client.Header;

/** The result of one operation of a transaction: a get, put, delete or nested transaction. */
public sealed interface OpResult permits GetResult, PutResult, DeleteResult, TxnResult {
  /** The header of the operation's result. */
  Header header();
}
