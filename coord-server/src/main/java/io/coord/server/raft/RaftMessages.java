package io.coord.server.raft;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/** Crossing between our protobuf bytes and Ratis's shaded {@link ByteString}s. */
final class RaftMessages {
  private RaftMessages() {}

  static Message message(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  static ByteString shaded(byte[] bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  static java.nio.ByteBuffer buffer(Message message) {
    return message.getContent().asReadOnlyByteBuffer();
  }
}
