package io.coord.cli;

import static io.coord.cli.Cli.coord;
import static io.coord.cli.Cli.raw;
import static io.coord.cli.JsonDoc.fields;
import static io.coord.cli.JsonDoc.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.cli.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** coord snapshot save|inspect|restore. */
@ExtendWith(SharedCluster.class)
@Timeout(120)
class SnapshotCommandsTest {
  @TempDir
  Path work;

  @Test
  void saveInspectAndRestore() throws Exception {
    coord("kv", "put", "snap/a", "1");
    long revision = parse(coord("-o", "json", "kv", "put", "snap/b", "2")).get("header")
        .get("revision").asLong();
    Path file = work.resolve("backup.snap");

    Run save = coord("snapshot", "save", file.toString());
    assertThat(save.exitCode()).as(save.toString()).isZero();
    assertThat(save.err()).contains("coord: saved ").contains("checksum verified");
    assertThat(file).isRegularFile();
    assertThat(work.resolve("backup.snap.part")).doesNotExist();

    JsonNode inspect = parse(raw("", "-o", "json", "snapshot", "inspect", file.toString()));
    assertThat(fields(inspect)).containsExactly("revision", "compact_revision", "key_count",
        "size_bytes", "store_bytes", "file_count", "sha256", "cluster_token", "cluster_id",
        "member", "applied_index", "applied_term", "created_unix_ms");
    assertThat(inspect.get("revision").asLong()).isGreaterThanOrEqualTo(revision);
    assertThat(inspect.get("key_count").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(inspect.get("size_bytes").asLong()).isEqualTo(Files.size(file));
    assertThat(inspect.get("sha256").asText()).matches("[0-9a-f]{64}");

    Run simple = raw("", "snapshot", "inspect", file.toString());
    assertThat(simple.lines()).anyMatch(l -> l.matches("revision: \\d+"))
        .anyMatch(l -> l.matches("keys: \\d+"))
        .anyMatch(l -> l.matches("sha256: [0-9a-f]{64} \\(verified\\)"));

    Path dataDir = work.resolve("restored-n1");
    Run restore = raw("", "snapshot", "restore", file.toString(), "--data-dir",
        dataDir.toString());
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(restore.lines().get(0)).isEqualTo("restored " + file + " into " + dataDir);
    assertThat(dataDir.resolve("state")).isDirectory();
    assertThat(dataDir.resolve("state.restored")).isRegularFile();

    Run again = raw("", "snapshot", "restore", file.toString(), "--data-dir",
        dataDir.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("coord: cannot restore into " + dataDir)
        .contains("is not empty");
  }

  @Test
  void aCorruptedFileIsRefused() throws Exception {
    Path file = work.resolve("backup.snap");
    assertThat(coord("snapshot", "save", file.toString()).exitCode()).isZero();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 40] ^= 0x55;
    Path corrupted = Files.write(work.resolve("corrupted.snap"), bytes);

    Run inspect = raw("", "snapshot", "inspect", corrupted.toString());
    assertThat(inspect.exitCode()).isEqualTo(1);
    assertThat(inspect.out()).isEmpty();
    assertThat(inspect.err()).startsWith("coord: refusing " + corrupted + ": ").hasLineCount(1);

    Run restore = raw("", "snapshot", "restore", corrupted.toString(), "--data-dir",
        work.resolve("n1").toString());
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(work.resolve("n1").resolve("state")).doesNotExist();

    Run missing = raw("", "snapshot", "inspect", work.resolve("nothing.snap").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
  }
}
