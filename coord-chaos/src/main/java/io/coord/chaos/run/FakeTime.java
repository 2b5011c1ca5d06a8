package io.coord.chaos.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds libfaketime (Debian package {@code faketime}), which skews a process's clocks. */
final class FakeTime {
  private static final List<String> PLACES = List.of(
      "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
      "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
      "/usr/lib64/faketime/libfaketime.so.1",
      "/usr/lib/faketime/libfaketime.so.1",
      "/usr/local/lib/faketime/libfaketime.so.1");

  private FakeTime() {
  }

  /** The library's path; throws saying how to install it if it is missing. */
  static Path library() {
    for (String place : PLACES) {
      Path path = Path.of(place);
      if (Files.isRegularFile(path)) {
        return path;
      }
    }
    throw new IllegalStateException("clock skew needs libfaketime, found in none of " + PLACES
        + " (apt-get install faketime; scripts/chaos installs it)");
  }
}
