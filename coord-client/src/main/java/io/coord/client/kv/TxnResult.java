package io.coord.client.kv;

import io.coord.client.Header;
import io.coord.proto.v1.ResponseOp;
import io.coord.proto.v1.TxnResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a transaction.
 *
 * @param header its revision is the one the transaction created, if it wrote anything
 * @param succeeded true if every comparison held and the {@code then} branch ran
 * @param results one result per operation of the branch that ran, in order
 */
public record TxnResult(Header header, boolean succeeded, List<OpResult> results)
    implements OpResult {

  /** Converts the wire form. */
  public static TxnResult of(TxnResponse response) {
    List<OpResult> results = new ArrayList<>();
    for (ResponseOp op : response.getResponsesList()) {
      results.add(switch (op.getResponseCase()) {
        case RESPONSE_RANGE -> GetResult.of(op.getResponseRange());
        case RESPONSE_PUT -> PutResult.of(op.getResponsePut());
        case RESPONSE_DELETE_RANGE -> DeleteResult.of(op.getResponseDeleteRange());
        case RESPONSE_TXN -> TxnResult.of(op.getResponseTxn());
        case RESPONSE_NOT_SET -> throw new IllegalStateException("empty response operation");
      });
    }
    return new TxnResult(Header.of(response.getHeader()), response.getSucceeded(),
        List.copyOf(results));
  }
}
