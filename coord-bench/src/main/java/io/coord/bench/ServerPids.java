package io.coord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The server processes whose CPU a point reports: explicit PIDs plus every {@code *.pid}
 * file in some directories, read again before each point (a restarted member has a new PID).
 */
public final class ServerPids {
  private final List<Long> pids;
  private final List<Path> pidDirs;

  public ServerPids(List<Long> pids, List<Path> pidDirs) {
    this.pids = List.copyOf(pids);
    this.pidDirs = List.copyOf(pidDirs);
  }

  /** The directories whose pid files are read. */
  public List<Path> dirs() {
    return pidDirs;
  }

  /** The PIDs now: explicit ones and those in pid files that name a live process. */
  public List<Long> current() {
    List<Long> all = new ArrayList<>(pids);
    for (Path dir : pidDirs) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
          String text = Files.readString(file).trim();
          if (text.matches("[0-9]+")) {
            long pid = Long.parseLong(text);
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
              all.add(pid);
            }
          }
        }
      } catch (IOException e) {
        // A missing directory contributes nothing; the row lists the PIDs it sampled.
      }
    }
    return all.stream().distinct().toList();
  }
}
