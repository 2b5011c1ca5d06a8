package io.coord.cli.kv;

import io.coord.cli.AsciiTable;
import io.coord.cli.Output;
import io.coord.cli.OutputFormat;
import io.coord.client.kv.DeleteResult;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.OpResult;
import io.coord.client.kv.PutResult;
import io.coord.client.kv.TxnResult;
import java.util.List;

/**
 * Prints key-value results in the chosen format. Simple output follows etcdctl: a put prints
 * {@code OK}, a get prints each key and value on their own lines, a delete prints the count.
 */
final class KvPrinter {
  /** What a get prints in simple output. */
  enum GetStyle { KEYS_AND_VALUES, KEYS_ONLY, VALUES_ONLY, COUNT_ONLY }

  private static final String[] KV_COLUMNS =
      {"KEY", "VALUE", "CREATE REV", "MOD REV", "VERSION", "SESSION"};

  private final Output out;
  private final KvJson json;

  KvPrinter(Output out) {
    this.out = out;
    this.json = new KvJson(out);
  }

  void get(GetResult result, GetStyle style) {
    switch (out.format()) {
      case JSON -> out.json(json.get(result));
      case TABLE -> out.table(style == GetStyle.COUNT_ONLY
          ? new AsciiTable("COUNT").row(result.count()) : kvTable(result.kvs()));
      case SIMPLE -> {
        if (style == GetStyle.COUNT_ONLY) {
          out.line(result.count());
        }
        for (KeyValue kv : result.kvs()) {
          if (style != GetStyle.VALUES_ONLY) {
            out.line(kv.keyString());
          }
          if (style == GetStyle.KEYS_AND_VALUES || style == GetStyle.VALUES_ONLY) {
            out.line(kv.valueString());
          }
        }
      }
    }
  }

  void put(PutResult result) {
    switch (out.format()) {
      case JSON -> out.json(json.put(result));
      case TABLE -> {
        out.table(new AsciiTable("REVISION").row(result.revision()));
        result.prevKv().ifPresent(prev -> out.table(kvTable(List.of(prev))));
      }
      case SIMPLE -> {
        out.line("OK");
        result.prevKv().ifPresent(prev -> {
          out.line(prev.keyString());
          out.line(prev.valueString());
        });
      }
    }
  }

  void delete(DeleteResult result) {
    switch (out.format()) {
      case JSON -> out.json(json.delete(result));
      case TABLE -> {
        out.table(new AsciiTable("DELETED", "REVISION")
            .row(result.deleted(), result.header().revision()));
        if (!result.prevKvs().isEmpty()) {
          out.table(kvTable(result.prevKvs()));
        }
      }
      case SIMPLE -> {
        out.line(result.deleted());
        for (KeyValue prev : result.prevKvs()) {
          out.line(prev.keyString());
          out.line(prev.valueString());
        }
      }
    }
  }

  /**
   * Prints {@code SUCCESS} or {@code FAILURE}, then each operation's result after a blank line
   * (simple and table), or one JSON document.
   */
  void txn(TxnResult result) {
    if (out.format() == OutputFormat.JSON) {
      out.json(json.txn(result));
      return;
    }
    out.line(result.succeeded() ? "SUCCESS" : "FAILURE");
    for (OpResult op : result.results()) {
      out.line("");
      if (op instanceof GetResult get) {
        get(get, GetStyle.KEYS_AND_VALUES);
      } else if (op instanceof PutResult put) {
        put(put);
      } else if (op instanceof DeleteResult delete) {
        delete(delete);
      } else {
        txn((TxnResult) op);
      }
    }
  }

  private static AsciiTable kvTable(List<KeyValue> kvs) {
    AsciiTable table = new AsciiTable(KV_COLUMNS);
    for (KeyValue kv : kvs) {
      table.row(kv.keyString(), kv.valueString(), kv.createRevision(), kv.modRevision(),
          kv.version(), kv.session());
    }
    return table;
  }
}
