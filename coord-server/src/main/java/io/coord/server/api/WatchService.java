package io.coord.server.api;

import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchGrpc;
import io.coord.proto.v1.WatchRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.error.CoordError;
import io.coord.server.watch.ResponseSink;
import io.coord.server.watch.WatchHub;
import io.coord.server.watch.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The Watch gRPC service: one {@link WatchStream} of the hub per call. Requests are validated
 * here; a refused create is answered on the stream (created and canceled, with the reason), so
 * the stream's other watches go on. The call's readiness drives the stream's sender; a call
 * that ends (cancelled, half-closed, failed) releases the stream and its watches.
 */
public final class WatchService extends WatchGrpc.WatchImplBase {
  private final RequestValidator validator;
  private final WatchHub hub;

  WatchService(RequestValidator validator, WatchHub hub) {
    this.validator = validator;
    this.hub = hub;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
    ServerCallStreamObserver<WatchResponse> call =
        (ServerCallStreamObserver<WatchResponse>) responses;
    WatchStream stream = hub.openStream(new GrpcSink(call));
    call.setOnReadyHandler(stream::onReady);
    call.setOnCancelHandler(() -> hub.closeStream(stream));
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest request) {
        switch (request.getRequestUnionCase()) {
          case CREATE_REQUEST -> create(stream, request.getCreateRequest());
          case CANCEL_REQUEST -> hub.cancel(stream, request.getCancelRequest().getWatchId());
          case PROGRESS_REQUEST -> hub.requestProgress(stream);
          case REQUESTUNION_NOT_SET -> { }
        }
      }

      @Override
      public void onError(Throwable failure) {
        hub.closeStream(stream);
      }

      @Override
      public void onCompleted() {
        hub.finishStream(stream);
      }
    };
  }

  private void create(WatchStream stream, WatchCreateRequest request) {
    try {
      validator.checkWatchCreate(request);
    } catch (CoordError refused) {
      hub.refuse(stream, request, refused);
      return;
    }
    hub.create(stream, request);
  }

  /** A gRPC server call as the hub's response sink. */
  private static final class GrpcSink implements ResponseSink {
    private final ServerCallStreamObserver<WatchResponse> call;

    GrpcSink(ServerCallStreamObserver<WatchResponse> call) {
      this.call = call;
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void send(WatchResponse response) {
      call.onNext(response);
    }

    @Override
    public void close(CoordError error) {
      if (call.isCancelled()) {
        return;
      }
      if (error == null) {
        call.onCompleted();
      } else {
        call.onError(ApiErrors.toStatus(error));
      }
    }
  }
}
