package io.coord.cli.kv;

import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.Header;
import io.coord.client.kv.DeleteResult;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.OpResult;
import io.coord.client.kv.PutResult;
import io.coord.client.kv.TxnResult;

/** The JSON form of key-value results; the schema is docs/cli-json.md, keep them in step. */
final class KvJson {
  private final Output out;

  KvJson(Output out) {
    this.out = out;
  }

  static Json header(Header header) {
    return Json.object()
        .put("cluster_id", header.clusterId())
        .put("member_id", header.memberId())
        .put("revision", header.revision())
        .put("raft_term", header.raftTerm());
  }

  Json keyValue(KeyValue kv) {
    return Json.object()
        .put("key", out.jsonBytes(kv.key()))
        .put("value", out.jsonBytes(kv.value()))
        .put("create_revision", kv.createRevision())
        .put("mod_revision", kv.modRevision())
        .put("version", kv.version())
        .put("session", kv.session());
  }

  Json get(GetResult result) {
    return Json.object()
        .put("header", header(result.header()))
        .putList("kvs", result.kvs(), this::keyValue)
        .put("more", result.more())
        .put("count", result.count());
  }

  Json put(PutResult result) {
    return Json.object()
        .put("header", header(result.header()))
        .put("prev_kv", result.prevKv().map(this::keyValue).orElse(null));
  }

  Json delete(DeleteResult result) {
    return Json.object()
        .put("header", header(result.header()))
        .put("deleted", result.deleted())
        .putList("prev_kvs", result.prevKvs(), this::keyValue);
  }

  Json txn(TxnResult result) {
    return Json.object()
        .put("header", header(result.header()))
        .put("succeeded", result.succeeded())
        .putList("responses", result.results(), this::response);
  }

  /** One response of a transaction: the operation's own document plus its {@code type}. */
  private Json response(OpResult result) {
    if (result instanceof GetResult get) {
      return Json.object().put("type", "get").put("get", get(get));
    } else if (result instanceof PutResult put) {
      return Json.object().put("type", "put").put("put", put(put));
    } else if (result instanceof DeleteResult delete) {
      return Json.object().put("type", "delete").put("delete", delete(delete));
    }
    return Json.object().put("type", "txn").put("txn", txn((TxnResult) result));
  }
}
