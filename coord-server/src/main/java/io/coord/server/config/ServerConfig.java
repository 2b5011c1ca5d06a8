package io.coord.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A validated, immutable server configuration: every key of {@link ConfigKeys} parsed, with
 * defaults filled in. Read values with {@link #get(ConfigKey)}.
 */
public final class ServerConfig {
  private final Map<String, Object> values;
  private final Map<String, String> texts;

  private ServerConfig(Map<String, String> texts) {
    Map<String, Object> parsed = new HashMap<>();
    for (ConfigKey<?> key : knownKeys()) {
      String text = texts.get(key.name());
      if (text == null || text.isBlank()) {
        text = key.defaultText();
      }
      parsed.put(key.name(), text.isEmpty() ? null : key.parse(text));
    }
    this.values = parsed;
    this.texts = Map.copyOf(texts);
    validate();
  }

  /** Loads and validates a properties file. */
  public static ServerConfig load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> texts = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      texts.put(name, properties.getProperty(name));
    }
    return fromMap(texts);
  }

  /** Validates the given key texts; unknown keys are an error. */
  public static ServerConfig fromMap(Map<String, String> texts) {
    for (String name : new TreeSet<>(texts.keySet())) {
      if (knownKeys().stream().noneMatch(key -> key.name().equals(name))) {
        throw new ConfigException(name + ": unknown configuration key" + suggestion(name)
            + " (coord-server --help-config lists every key)");
      }
    }
    return new ServerConfig(texts);
  }

  public static Builder builder() {
    return new Builder();
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key.name());
  }

  /** This member's data directory. */
  public Path dataDir() {
    String dir = get(ConfigKeys.DATA_DIR);
    return Path.of(dir == null || dir.isEmpty() ? "data/" + get(ConfigKeys.NAME) : dir);
  }

  /** This member's entry in the initial members. */
  public PeerSpec self() {
    String name = get(ConfigKeys.NAME);
    return get(ConfigKeys.INITIAL_MEMBERS).stream()
        .filter(peer -> peer.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Where the Raft transport binds. */
  public HostPort peerListen() {
    HostPort explicit = get(ConfigKeys.PEER_LISTEN);
    return explicit != null ? explicit : self().peerAddress();
  }

  /**
   * The shortest session TTL granted: {@link ConfigKeys#SESSION_MIN_TTL} if set, else derived
   * from the election timeout (see {@link SessionTtls}).
   */
  public Duration sessionMinTtl() {
    Duration configured = get(ConfigKeys.SESSION_MIN_TTL);
    return configured != null ? configured
        : SessionTtls.defaultMinimum(get(ConfigKeys.ELECTION_TIMEOUT_MAX));
  }

  /** A copy with {@code key} set to {@code text}. */
  public ServerConfig with(ConfigKey<?> key, String text) {
    Map<String, String> copy = new LinkedHashMap<>(texts);
    copy.put(key.name(), text);
    return new ServerConfig(copy);
  }

  private static List<ConfigKey<?>> knownKeys() {
    List<ConfigKey<?>> keys = new java.util.ArrayList<>(ConfigKeys.ALL);
    keys.addAll(ConfigKeys.UNSAFE);
    return keys;
  }

  /** The {@link ConfigKeys#UNSAFE} keys set to true. */
  public List<ConfigKey<?>> unsafeKeysEnabled() {
    return ConfigKeys.UNSAFE.stream().filter(key -> Boolean.TRUE.equals(values.get(key.name())))
        .toList();
  }

  private void validate() {
    List<ConfigKey<?>> unsafe = unsafeKeysEnabled();
    if (!unsafe.isEmpty()
        && !"true".equals(System.getProperty(ConfigKeys.UNSAFE_ALLOW_PROPERTY))) {
      throw new ConfigException(unsafe + ": deliberately breaks Coord's guarantees, for the"
          + " robustness suite's tests only; refused unless the JVM runs with -D"
          + ConfigKeys.UNSAFE_ALLOW_PROPERTY + "=true");
    }
    String name = get(ConfigKeys.NAME);
    if (name == null || name.isEmpty()) {
      throw new ConfigException(ConfigKeys.NAME + ": required (this member's name, e.g. n1)");
    }
    List<PeerSpec> members = get(ConfigKeys.INITIAL_MEMBERS);
    if (members == null || members.isEmpty()) {
      throw new ConfigException(ConfigKeys.INITIAL_MEMBERS
          + ": required (e.g. n1=127.0.0.1:7711,n2=127.0.0.1:7712,n3=127.0.0.1:7713)");
    }
    if (members.stream().noneMatch(peer -> peer.name().equals(name))) {
      throw new ConfigException(ConfigKeys.INITIAL_MEMBERS + ": does not list this member '"
          + name + "' (" + ConfigKeys.NAME + ")");
    }
    if (get(ConfigKeys.ELECTION_TIMEOUT_MAX).compareTo(get(ConfigKeys.ELECTION_TIMEOUT_MIN))
        <= 0) {
      throw new ConfigException(ConfigKeys.ELECTION_TIMEOUT_MAX + ": must be greater than "
          + ConfigKeys.ELECTION_TIMEOUT_MIN);
    }
    long entryBudget = get(ConfigKeys.BATCH_MAX_BYTES) + get(ConfigKeys.MAX_REQUEST_BYTES);
    if (entryBudget > (4L << 20) - (64 << 10)) {
      throw new ConfigException(ConfigKeys.BATCH_MAX_BYTES + " + " + ConfigKeys.MAX_REQUEST_BYTES
          + ": together at most 4032KiB (one Raft log entry)");
    }
    SessionTtls.validate(get(ConfigKeys.SESSION_MIN_TTL), get(ConfigKeys.SESSION_MAX_TTL),
        get(ConfigKeys.ELECTION_TIMEOUT_MAX));
    if (get(ConfigKeys.MAX_KEY_BYTES) + get(ConfigKeys.MAX_VALUE_BYTES)
        > get(ConfigKeys.MAX_REQUEST_BYTES)) {
      throw new ConfigException(ConfigKeys.MAX_REQUEST_BYTES + ": must hold at least "
          + ConfigKeys.MAX_KEY_BYTES + " + " + ConfigKeys.MAX_VALUE_BYTES);
    }
  }

  private static String suggestion(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      int distance = editDistance(unknown, key.name());
      if (distance < bestDistance) {
        bestDistance = distance;
        best = key.name();
      }
    }
    return bestDistance <= 4 ? "; did you mean " + best + "?" : "";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1),
            previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Builds a configuration from key texts, e.g. for tests and embedded servers. */
  public static final class Builder {
    private final Map<String, String> texts = new LinkedHashMap<>();

    public Builder set(ConfigKey<?> key, String text) {
      texts.put(key.name(), text);
      return this;
    }

    public ServerConfig build() {
      return fromMap(texts);
    }
  }
}
