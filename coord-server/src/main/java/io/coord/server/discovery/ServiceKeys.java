package io.coord.server.discovery;

import io.coord.server.kv.KeyRange;
import io.coord.server.kv.SystemKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where service instances live in the reserved keyspace: {@code \0\0coord/service/<service>/<id>}.
 * Service names and instance ids never contain '/', so the key splits back unambiguously.
 */
public final class ServiceKeys {
  private static final byte[] ROOT = SystemKeys.key("service/");

  private ServiceKeys() {}

  /** The key of one instance. */
  public static byte[] instance(String service, String id) {
    return SystemKeys.key("service/" + service + "/" + id);
  }

  /** Every instance of {@code service}. */
  public static KeyRange service(String service) {
    return prefix(SystemKeys.key("service/" + service + "/"));
  }

  /** Every instance of every service. */
  public static KeyRange all() {
    return prefix(ROOT);
  }

  /** The first key of {@code service}'s range (for watches). */
  public static byte[] servicePrefix(String service) {
    return SystemKeys.key("service/" + service + "/");
  }

  static KeyRange prefix(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    end[end.length - 1]++;
    return new KeyRange(prefix, end);
  }

  /** True if {@code key} is an instance key. */
  public static boolean isInstance(byte[] key) {
    if (key.length <= ROOT.length) {
      return false;
    }
    return Arrays.equals(key, 0, ROOT.length, ROOT, 0, ROOT.length);
  }

  /** The (service, id) of an instance key. */
  public static Optional<Name> parse(byte[] key) {
    if (!isInstance(key)) {
      return Optional.empty();
    }
    String rest = new String(key, ROOT.length, key.length - ROOT.length, StandardCharsets.UTF_8);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new Name(rest.substring(0, slash), rest.substring(slash + 1)));
  }

  /** An instance's name: its service and id. */
  public record Name(String service, String id) {
    @Override
    public String toString() {
      return service + "/" + id;
    }
  }
}
