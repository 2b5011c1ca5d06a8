package io.coord.client.kv;

import io.coord.client.Header;
import io.coord.proto.v1.DeleteRangeResponse;
import java.util.List;

/**
 * The result of a delete.
 *
 * @param header its revision is the one the delete created (or the current one if nothing was
 *     deleted)
 * @param deleted number of keys deleted
 * @param prevKvs the deleted key-values, if requested
 */
public record DeleteResult(Header header, long deleted, List<KeyValue> prevKvs)
    implements OpResult {

  /** Converts the wire form. */
  public static DeleteResult of(DeleteRangeResponse response) {
    return new DeleteResult(Header.of(response.getHeader()), response.getDeleted(),
        response.getPrevKvsList().stream().map(KeyValue::of).toList());
  }
}
