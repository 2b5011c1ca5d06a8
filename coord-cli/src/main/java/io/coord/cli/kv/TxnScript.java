package io.coord.cli.kv;

import io.coord.client.kv.Cmp;
import io.coord.client.kv.Op;
import io.coord.client.kv.Txn;
import java.util.List;

/**
 * A parsed {@code coord kv txn} script: the compares, then the operations to run if they all
 * hold, then those to run otherwise.
 */
record TxnScript(List<Cmp> compares, List<Op> success, List<Op> failure) {
  /** Adds the script to {@code txn}. */
  Txn applyTo(Txn txn) {
    return txn.when(compares.toArray(Cmp[]::new))
        .then(success.toArray(Op[]::new))
        .otherwise(failure.toArray(Op[]::new));
  }
}
