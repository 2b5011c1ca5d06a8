package io.coord.server.maintenance;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.SnapshotFileEnd;
import io.coord.proto.v1.SnapshotFileStart;
import io.coord.proto.v1.SnapshotHeader;
import io.coord.proto.v1.SnapshotRecord;
import io.coord.proto.v1.SnapshotTrailer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes the snapshot file format documented in {@code coord/v1/maintenance.proto}: magic,
 * then length-prefixed records, with a SHA-256 per file and one over the whole stream.
 */
final class SnapshotWriter {
  static final byte[] MAGIC = "COORD-SNAPSHOT-1\n".getBytes(StandardCharsets.US_ASCII);
  static final int DATA_CHUNK_BYTES = 1 << 20;

  private final OutputStream out;
  private final MessageDigest stream = sha256();
  private int files;

  SnapshotWriter(OutputStream out) throws IOException {
    this.out = out;
    write(MAGIC);
  }

  void header(SnapshotHeader header) throws IOException {
    record(SnapshotRecord.newBuilder().setHeader(header).build());
  }

  void file(String name, Path path) throws IOException {
    long size = Files.size(path);
    record(SnapshotRecord.newBuilder()
        .setFile(SnapshotFileStart.newBuilder().setName(name).setSize(size)).build());
    MessageDigest content = sha256();
    byte[] buffer = new byte[DATA_CHUNK_BYTES];
    long left = size;
    try (InputStream in = Files.newInputStream(path)) {
      while (left > 0) {
        int read = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
        if (read == 0) {
          throw new IOException(path + " shrank while it was being read");
        }
        content.update(buffer, 0, read);
        record(SnapshotRecord.newBuilder().setData(ByteString.copyFrom(buffer, 0, read)).build());
        left -= read;
      }
    }
    record(SnapshotRecord.newBuilder().setFileEnd(SnapshotFileEnd.newBuilder()
        .setSha256(ByteString.copyFrom(content.digest()))).build());
    files++;
  }

  /** Writes the trailer (the checksum of everything before it) and flushes. */
  void finish() throws IOException {
    byte[] digest = stream.digest();
    byte[] trailer = SnapshotRecord.newBuilder().setTrailer(SnapshotTrailer.newBuilder()
        .setSha256(ByteString.copyFrom(digest)).setFileCount(files)).build().toByteArray();
    out.write(lengthPrefix(trailer.length));
    out.write(trailer);
    out.flush();
  }

  private void record(SnapshotRecord record) throws IOException {
    byte[] bytes = record.toByteArray();
    write(lengthPrefix(bytes.length));
    write(bytes);
  }

  private void write(byte[] bytes) throws IOException {
    stream.update(bytes);
    out.write(bytes);
  }

  private static byte[] lengthPrefix(int length) {
    return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
        (byte) length};
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
