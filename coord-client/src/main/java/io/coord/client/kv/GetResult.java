package io.coord.client.kv;

import io.coord.client.Header;
import io.coord.proto.v1.RangeResponse;
import java.util.List;
import java.util.Optional;

/**
 * The result of a read.
 *
 * @param header revision and member the read was served at
 * @param kvs the keys read, in key order unless sorted otherwise
 * @param more true if the limit cut the result short
 * @param count number of keys in the range (before the limit)
 */
public record GetResult(Header header, List<KeyValue> kvs, boolean more, long count)
    implements OpResult {

  /** Converts the wire form. */
  public static GetResult of(RangeResponse response) {
    return new GetResult(Header.of(response.getHeader()),
        response.getKvsList().stream().map(KeyValue::of).toList(), response.getMore(),
        response.getCount());
  }

  /** The first key read, if any (the key itself for a single-key read). */
  public Optional<KeyValue> first() {
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
  }
}
