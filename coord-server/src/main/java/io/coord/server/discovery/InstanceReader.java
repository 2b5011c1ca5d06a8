package io.coord.server.discovery;

import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.KeyValue;
import io.coord.server.kv.KeyRange;
import io.coord.server.kv.KvReader;
import io.coord.server.storage.Reader;
import java.util.ArrayList;
import java.util.List;

/** Reads registered instances from the current state (any consistent view). */
public final class InstanceReader {
  private InstanceReader() {}

  /** The instances of {@code service}, sorted by id. */
  public static List<Instance> service(Reader reader, String service) {
    return read(reader, ServiceKeys.service(service));
  }

  /** Every instance, sorted by service then id. */
  public static List<Instance> all(Reader reader) {
    return read(reader, ServiceKeys.all());
  }

  private static List<Instance> read(Reader reader, KeyRange range) {
    List<Instance> out = new ArrayList<>();
    for (KeyValue kv : KvReader.current(reader, range)) {
      out.add(decode(kv));
    }
    return out;
  }

  /** The instance stored in {@code kv}, with its key's revisions filled in. */
  public static Instance decode(KeyValue kv) {
    try {
      return Instance.parseFrom(kv.getValue()).toBuilder()
          .setCreateRevision(kv.getCreateRevision())
          .setModRevision(kv.getModRevision())
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt service instance at "
          + ServiceKeys.parse(kv.getKey().toByteArray()).map(Object::toString).orElse("?"), e);
    }
  }
}
