package io.coord.client.maintenance;

import io.coord.proto.v1.SnapshotHeader;
import io.coord.proto.v1.SnapshotRecord;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Reads snapshot files (the format is documented in {@code coord/v1/maintenance.proto}):
 * verifies every checksum, and restores one into a member's data directory for a new cluster.
 *
 * <pre>{@code
 * SnapshotSummary summary = SnapshotFile.verify(Path.of("backup.snap"));
 * SnapshotFile.restore(Path.of("backup.snap"), Path.of("data/n1"));
 * }</pre>
 */
public final class SnapshotFile {
  static final byte[] MAGIC = "COORD-SNAPSHOT-1\n".getBytes(StandardCharsets.US_ASCII);
  /** Written next to the restored store; the member prepares the store on its first start. */
  static final String RESTORED_MARKER = "state.restored";
  private static final int MAX_RECORD_BYTES = 4 << 20;

  private SnapshotFile() {}

  /**
   * Reads the whole file and checks its structure and every checksum.
   *
   * @throws InvalidSnapshotException if it is truncated, corrupted or not a snapshot
   */
  public static SnapshotSummary verify(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Builds a member's data directory for a new cluster from a snapshot: the state store with
   * every key, revision and history, and no Raft log. Start the member with
   * {@code coord.data-dir} set to {@code dataDir} and {@code coord.cluster.initial-state=new};
   * restore the same file for every member of the new cluster. The file is verified before
   * anything is written.
   *
   * @throws InvalidSnapshotException if the file is invalid (nothing is written then)
   * @throws IOException if {@code dataDir} exists and is not empty
   */
  public static SnapshotSummary restore(Path file, Path dataDir) throws IOException {
    if (Files.exists(dataDir)) {
      try (Stream<Path> entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(dataDir + " is not empty: restore into a new, empty data"
              + " directory");
        }
      }
    }
    verify(file);
    Path scratch = dataDir.resolve("state.restoring");
    Files.createDirectories(scratch);
    SnapshotSummary summary;
    try {
      summary = read(file, scratch);
      Files.move(scratch, dataDir.resolve("state"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteRecursively(scratch);
      throw e;
    }
    Properties marker = new Properties();
    marker.setProperty("revision", Long.toString(summary.revision()));
    marker.setProperty("source-cluster-token", summary.clusterToken());
    marker.setProperty("source-applied-index", Long.toString(summary.appliedIndex()));
    marker.setProperty("sha256", summary.sha256());
    try (OutputStream out = Files.newOutputStream(dataDir.resolve(RESTORED_MARKER))) {
      marker.store(out, "restored from " + file.toAbsolutePath()
          + "; the member prepares its store on first start and removes this file");
    }
    return summary;
  }

  /** Reads and verifies {@code file}; writes the store files into {@code target} if given. */
  private static SnapshotSummary read(Path file, Path target) throws IOException {
    MessageDigest stream = sha256();
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      byte[] magic = readFully(in, MAGIC.length, "the file header");
      if (!Arrays.equals(magic, MAGIC)) {
        throw invalid("not a Coord snapshot file (unknown header)");
      }
      stream.update(magic);
      SnapshotRecord first = next(in, stream);
      if (!first.hasHeader()) {
        throw invalid("the first record is not the snapshot header");
      }
      SnapshotHeader header = first.getHeader();
      if (header.getFormatVersion() != 1) {
        throw invalid("format version " + header.getFormatVersion() + " is not supported");
      }
      int files = 0;
      long storeBytes = 0;
      while (true) {
        byte[] beforeTrailer = peek(stream);
        SnapshotRecord record = next(in, stream);
        if (record.hasTrailer()) {
          if (!MessageDigest.isEqual(beforeTrailer, record.getTrailer().getSha256()
              .toByteArray())) {
            throw invalid("the checksum of the file does not match (corrupted)");
          }
          if (record.getTrailer().getFileCount() != files || header.getFileCount() != files) {
            throw invalid("the file holds " + files + " store files, the trailer says "
                + record.getTrailer().getFileCount());
          }
          if (in.read() != -1) {
            throw invalid("unexpected bytes after the trailer");
          }
          return new SnapshotSummary(header.getClusterToken(), header.getClusterId(),
              header.getMemberName(), header.getRevision(), header.getCompactRevision(),
              header.getAppliedIndex(), header.getAppliedTerm(), header.getKeyCount(),
              header.getCreatedUnixMs(), files, storeBytes, Files.size(file),
              HexFormat.of().formatHex(beforeTrailer));
        }
        if (!record.hasFile()) {
          throw invalid("expected a file or the trailer, found " + record.getKindCase());
        }
        String name = record.getFile().getName();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
          throw invalid("bad file name '" + name + "'");
        }
        long size = record.getFile().getSize();
        MessageDigest content = sha256();
        long read = 0;
        try (OutputStream out = target == null ? OutputStream.nullOutputStream()
            : Files.newOutputStream(target.resolve(name))) {
          while (true) {
            SnapshotRecord part = next(in, stream);
            if (part.hasFileEnd()) {
              if (read != size) {
                throw invalid(name + ": " + read + " bytes, expected " + size);
              }
              if (!MessageDigest.isEqual(content.digest(), part.getFileEnd().getSha256()
                  .toByteArray())) {
                throw invalid(name + ": checksum mismatch (corrupted)");
              }
              break;
            }
            if (!part.hasData()) {
              throw invalid(name + ": expected data, found " + part.getKindCase());
            }
            byte[] data = part.getData().toByteArray();
            read += data.length;
            if (read > size) {
              throw invalid(name + ": more data than its size " + size);
            }
            content.update(data);
            out.write(data);
          }
        }
        files++;
        storeBytes += size;
      }
    }
  }

  /** The digest of what {@code stream} saw so far, leaving it running. */
  private static byte[] peek(MessageDigest stream) {
    try {
      return ((MessageDigest) stream.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SnapshotRecord next(DataInputStream in, MessageDigest stream)
      throws IOException {
    byte[] prefix = readFully(in, 4, "a record length");
    int length = ((prefix[0] & 0xFF) << 24) | ((prefix[1] & 0xFF) << 16)
        | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
    if (length < 0 || length > MAX_RECORD_BYTES) {
      throw invalid("record of " + Integer.toUnsignedString(length) + " bytes (corrupted)");
    }
    byte[] body = readFully(in, length, "a record");
    stream.update(prefix);
    stream.update(body);
    try {
      return SnapshotRecord.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw invalid("unreadable record (corrupted): " + e.getMessage());
    }
  }

  private static byte[] readFully(DataInputStream in, int length, String what)
      throws IOException {
    byte[] bytes = new byte[length];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw invalid("the file ends in the middle of " + what + " (truncated)");
    }
    return bytes;
  }

  private static InvalidSnapshotException invalid(String message) {
    return new InvalidSnapshotException(message);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
