package io.coord.server.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.server.api.RequestValidator;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.storage.Backend;
import io.coord.server.storage.ReadView;
import io.coord.server.storage.WriteTxn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coord's own records live in the keyspace but out of clients' reach. */
class SystemKeysTest {
  private static final byte[] ALL = {0};

  @TempDir
  Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<String> keys(Backend backend, byte[] key, byte[] rangeEnd) {
    try (ReadView view = backend.readView()) {
      return KvReader.range(view, KvMeta.load(view), RangeRequest.newBuilder()
              .setKey(ByteString.copyFrom(key)).setRangeEnd(ByteString.copyFrom(rangeEnd)).build())
          .getKvsList().stream().map(kv -> kv.getKey().toStringUtf8().replace("\0", "\\0"))
          .toList();
    }
  }

  @Test
  void rangesOverEveryKeySkipReservedKeysButInspectionSeesThem() {
    try (Backend backend = Backend.open(dir)) {
      try (WriteTxn txn = backend.beginWrite()) {
        KvMeta meta = KvMeta.load(txn);
        KvWriter writer = new KvWriter(txn, meta, new ArrayList<>());
        writer.put(bytes("a"), ByteString.copyFromUtf8("user"), 0, null);
        writer.put(SystemKeys.key("lock/x"), ByteString.copyFromUtf8("holder"), 0, null);
        writer.finish();
        txn.commit();
      }
      assertThat(keys(backend, ALL, ALL)).containsExactly("a");
      assertThat(keys(backend, SystemKeys.PREFIX, new byte[] {0, 1}))
          .containsExactly("\\0\\0coord/lock/x");

      try (WriteTxn txn = backend.beginWrite()) {
        KvMeta meta = KvMeta.load(txn);
        KvWriter writer = new KvWriter(txn, meta, new ArrayList<>());
        List<KeyValue> deleted = writer.deleteRange(KeyRange.of(ALL, ALL));
        assertThat(deleted).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("a");
        writer.finish();
        txn.commit();
      }
      assertThat(keys(backend, SystemKeys.PREFIX, new byte[] {0, 1})).hasSize(1);
    }
  }

  @Test
  void clientsCannotWriteReservedKeys() {
    RequestValidator validator = new RequestValidator(ServerConfig.builder()
        .set(ConfigKeys.NAME, "n1").set(ConfigKeys.INITIAL_MEMBERS, "n1=127.0.0.1:1").build());
    assertThatThrownBy(() -> validator.checkPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFrom(SystemKeys.key("lock/x"))).build()))
        .hasMessageContaining("put.key: keys starting with two zero bytes are reserved");
    assertThatThrownBy(() -> validator.checkDeleteRange(io.coord.proto.v1.DeleteRangeRequest
        .newBuilder().setKey(ByteString.copyFrom(SystemKeys.PREFIX)).build()))
        .hasMessageContaining("delete_range.key: keys starting with two zero bytes");
  }
}
