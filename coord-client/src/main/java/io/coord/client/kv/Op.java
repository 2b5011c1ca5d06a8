package io.coord.client.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.RequestOp;

/** An operation of a transaction branch: get, put, delete or a nested transaction. */
public final class Op {
  private final RequestOp op;

  private Op(RequestOp op) {
    this.op = op;
  }

  RequestOp toProto() {
    return op;
  }

  public static Op get(String key) {
    return get(ByteString.copyFromUtf8(key), GetOptions.DEFAULT);
  }

  public static Op get(ByteString key, GetOptions options) {
    return new Op(RequestOp.newBuilder().setRequestRange(options.toRequest(key)).build());
  }

  public static Op put(String key, String value) {
    return put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value), PutOptions.DEFAULT);
  }

  public static Op put(ByteString key, ByteString value, PutOptions options) {
    return new Op(RequestOp.newBuilder().setRequestPut(options.toRequest(key, value)).build());
  }

  public static Op delete(String key) {
    return delete(ByteString.copyFromUtf8(key), DeleteOptions.DEFAULT);
  }

  public static Op delete(ByteString key, DeleteOptions options) {
    return new Op(RequestOp.newBuilder().setRequestDeleteRange(options.toRequest(key)).build());
  }

  /** A nested transaction, evaluated when this operation runs. */
  public static Op txn(Txn nested) {
    return new Op(RequestOp.newBuilder().setRequestTxn(nested.toRequest()).build());
  }
}
