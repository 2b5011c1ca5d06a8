package io.coord.server.api;

import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.CompactionResponse;
import io.coord.proto.v1.DeleteRangeRequest;
import io.coord.proto.v1.DeleteRangeResponse;
import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.PutResponse;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RangeResponse;
import io.coord.proto.v1.TxnRequest;
import io.coord.proto.v1.TxnResponse;
import io.coord.server.command.Command;
import io.coord.server.kv.KvReader;
import io.grpc.stub.StreamObserver;

/** The KV gRPC service: validate, run through the read or write path, complete the header. */
public final class KvService extends KVGrpc.KVImplBase {
  private final RequestValidator validator;
  private final WritePath writes;
  private final ReadPath reads;
  private final Headers headers;
  private final Calls calls;

  KvService(RequestValidator validator, WritePath writes, ReadPath reads, Headers headers,
      Calls calls) {
    this.validator = validator;
    this.writes = writes;
    this.reads = reads;
    this.headers = headers;
    this.calls = calls;
  }

  @Override
  public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkRange(request);
      return reads.read(request.getSerializable(), request.getMinRevision(),
          (view, meta) -> KvReader.range(view, meta, request))
          .thenApply(r -> r.toBuilder().setHeader(headers.complete(r.getHeader())).build());
    });
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkPut(request);
      return writes.submit(Command.newBuilder().setPut(request)).thenApply(result -> {
        PutResponse put = result.getPut();
        return put.toBuilder().setHeader(headers.complete(put.getHeader())).build();
      });
    });
  }

  @Override
  public void deleteRange(DeleteRangeRequest request,
      StreamObserver<DeleteRangeResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkDeleteRange(request);
      return writes.submit(Command.newBuilder().setDeleteRange(request)).thenApply(result -> {
        DeleteRangeResponse delete = result.getDeleteRange();
        return delete.toBuilder().setHeader(headers.complete(delete.getHeader())).build();
      });
    });
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkTxn(request);
      return writes.submit(Command.newBuilder().setTxn(request)).thenApply(result -> {
        TxnResponse txn = result.getTxn();
        return txn.toBuilder().setHeader(headers.complete(txn.getHeader())).build();
      });
    });
  }

  @Override
  public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkCompaction(request);
      return writes.submit(Command.newBuilder().setCompact(request)).thenApply(result -> {
        CompactionResponse compact = result.getCompact();
        return compact.toBuilder().setHeader(headers.complete(compact.getHeader())).build();
      });
    });
  }
}
