package io.coord.client;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A guarded write was refused: its fencing token no longer names a current grant (the lock was
 * released or broken, the leadership ended, or the holder's session ended). Nothing was
 * written. Reason {@code FENCING_TOKEN_STALE}.
 */
public final class StaleFenceException extends CoordException {
  public StaleFenceException(String message, Map<String, String> metadata, Throwable cause) {
    super("FENCING_TOKEN_STALE", message, metadata, cause);
  }

  /** The tokens of the current holders when the write was refused; empty if none. */
  public List<Long> currentTokens() {
    String tokens = metadata().getOrDefault("current_tokens", "");
    return tokens.isEmpty() ? List.of()
        : Arrays.stream(tokens.split(",")).map(Long::parseLong).toList();
  }
}
