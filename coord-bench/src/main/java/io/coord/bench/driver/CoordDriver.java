package io.coord.bench.driver;

import com.google.protobuf.ByteString;
import io.coord.bench.Workload;
import io.coord.client.CoordClient;
import io.coord.client.kv.Cmp;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.Op;
import io.coord.client.kv.PutOptions;
import io.coord.client.kv.PutResult;
import io.coord.client.kv.TxnResult;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coord through {@code coord-client}'s asynchronous API, one client over every endpoint.
 * Writes are exactly-once (each carries the client id and a sequence number), as for any
 * user of the client. Locks, sessions and watches are not part of this build's public API:
 * those workloads report "unsupported".
 */
public final class CoordDriver implements Driver {
  private static final GetOptions LINEARIZABLE = GetOptions.DEFAULT;
  private static final GetOptions SERIALIZABLE = GetOptions.builder().serializable().build();

  private final CoordClient client;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  public CoordDriver(List<String> endpoints, Duration requestTimeout) {
    this.client = CoordClient.builder().endpoints(endpoints).requestTimeout(requestTimeout)
        .build();
  }

  @Override
  public String system() {
    return "coord";
  }

  @Override
  public Set<Workload> supported() {
    return EnumSet.of(Workload.PUT, Workload.GET, Workload.SGET, Workload.TXN);
  }

  /** The client, for workloads that need more than the driver operations (failover). */
  public CoordClient client() {
    return client;
  }

  @Override
  public CompletableFuture<PutResult> put(String key, byte[] value) {
    return client.kv().putAsync(ByteString.copyFromUtf8(key), ByteString.copyFrom(value),
        PutOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<?> get(String key, boolean linearizable) {
    return client.kv().getAsync(ByteString.copyFromUtf8(key),
        linearizable ? LINEARIZABLE : SERIALIZABLE);
  }

  @Override
  public CompletableFuture<Boolean> compareAndPut(String key, byte[] value) {
    long expected = versions.getOrDefault(key, 0L);
    ByteString k = ByteString.copyFromUtf8(key);
    return client.kv().txn()
        .when(Cmp.version(key).equalTo(expected))
        .then(Op.put(k, ByteString.copyFrom(value), PutOptions.DEFAULT))
        .commitAsync()
        .thenApply(TxnResult::succeeded)
        .thenApply(ok -> {
          if (ok) {
            versions.put(key, expected + 1);
          }
          return ok;
        });
  }

  @Override
  public void close() {
    client.close();
  }
}
