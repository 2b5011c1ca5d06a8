package io.coord.client.kv;

import io.coord.client.Header;
import io.coord.proto.v1.PutResponse;
import java.util.Optional;

/**
 * The result of a put.
 *
 * @param header its {@code revision} is the revision the put created
 * @param prevKv the previous version, if requested and the key existed
 */
public record PutResult(Header header, Optional<KeyValue> prevKv) implements OpResult {

  /** Converts the wire form. */
  public static PutResult of(PutResponse response) {
    return new PutResult(Header.of(response.getHeader()),
        response.hasPrevKv() ? Optional.of(KeyValue.of(response.getPrevKv())) : Optional.empty());
  }

  /** The revision the put created. */
  public long revision() {
    return header.revision();
  }
}
