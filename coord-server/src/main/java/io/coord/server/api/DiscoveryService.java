package io.coord.server.api;

import io.coord.proto.v1.DeregisterRequest;
import io.coord.proto.v1.DeregisterResponse;
import io.coord.proto.v1.DiscoveryGrpc;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.ListServicesRequest;
import io.coord.proto.v1.ListServicesResponse;
import io.coord.proto.v1.LookupRequest;
import io.coord.proto.v1.LookupResponse;
import io.coord.proto.v1.RegisterRequest;
import io.coord.proto.v1.RegisterResponse;
import io.coord.proto.v1.ServiceSummary;
import io.coord.proto.v1.ServiceWatchRequest;
import io.coord.proto.v1.ServiceWatchResponse;
import io.coord.server.command.Command;
import io.coord.server.discovery.Health;
import io.coord.server.discovery.InstanceReader;
import io.coord.server.error.CoordError;
import io.coord.server.watch.WatchHub;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Discovery gRPC service: registrations go through the log; lookups are range reads of the
 * reserved service prefix (linearizable unless serializable is asked for); watches are
 * {@link ServiceWatchCall}s over the watch hub.
 */
public final class DiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {
  private final DiscoveryValidator validator = new DiscoveryValidator();
  private final WritePath writes;
  private final ReadPath reads;
  private final Headers headers;
  private final Calls calls;
  private final WatchHub hub;

  DiscoveryService(WritePath writes, ReadPath reads, Headers headers, Calls calls,
      WatchHub hub) {
    this.writes = writes;
    this.reads = reads;
    this.headers = headers;
    this.calls = calls;
    this.hub = hub;
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> observer) {
    calls.unary(observer, () -> writes.submit(Command.newBuilder()
            .setRegisterInstance(validator.normalize(request)))
        .thenApply(result -> {
          RegisterResponse response = result.getRegisterInstance();
          return response.toBuilder().setHeader(headers.complete(response.getHeader())).build();
        }));
  }

  @Override
  public void deregister(DeregisterRequest request,
      StreamObserver<DeregisterResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkDeregister(request);
      return writes.submit(Command.newBuilder().setDeregisterInstance(request))
          .thenApply(result -> {
            DeregisterResponse response = result.getDeregisterInstance();
            return response.toBuilder().setHeader(headers.complete(response.getHeader()))
                .build();
          });
    });
  }

  @Override
  public void lookup(LookupRequest request, StreamObserver<LookupResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkLookup(request);
      return reads.read(request.getSerializable(), 0, (view, meta) -> {
        LookupResponse.Builder response = LookupResponse.newBuilder()
            .setHeader(headers.at(meta.revision()));
        for (Instance instance : InstanceReader.service(view, request.getService())) {
          if ((!request.getHealthyOnly() || Health.healthy(instance))
              && instance.getTagsList().containsAll(request.getTagsList())) {
            response.addInstances(instance);
          }
        }
        return response.build();
      });
    });
  }

  @Override
  public void listServices(ListServicesRequest request,
      StreamObserver<ListServicesResponse> observer) {
    calls.unary(observer, () -> reads.read(request.getSerializable(), 0, (view, meta) -> {
      Map<String, List<Instance>> byService = new LinkedHashMap<>();
      for (Instance instance : InstanceReader.all(view)) {
        byService.computeIfAbsent(instance.getService(), s -> new java.util.ArrayList<>())
            .add(instance);
      }
      ListServicesResponse.Builder response = ListServicesResponse.newBuilder()
          .setHeader(headers.at(meta.revision()));
      byService.forEach((name, instances) -> {
        TreeSet<String> tags = new TreeSet<>();
        instances.forEach(i -> tags.addAll(i.getTagsList()));
        response.addServices(ServiceSummary.newBuilder().setName(name)
            .setInstances(instances.size())
            .setHealthy(instances.stream().filter(Health::healthy).count())
            .addAllTags(tags));
      });
      return response.build();
    }));
  }

  @Override
  public void watch(ServiceWatchRequest request,
      StreamObserver<ServiceWatchResponse> observer) {
    try {
      validator.checkWatch(request);
    } catch (CoordError refused) {
      observer.onError(ApiErrors.toStatus(refused));
      return;
    }
    new ServiceWatchCall((ServerCallStreamObserver<ServiceWatchResponse>) observer, request,
        hub, reads, headers).start();
  }
}
