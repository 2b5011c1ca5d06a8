package io.coord.server.api;

import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.DeregisterRequest;
import io.coord.proto.v1.LookupRequest;
import io.coord.proto.v1.RegisterRequest;
import io.coord.proto.v1.ServiceWatchRequest;
import io.coord.server.error.CoordError;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks discovery requests against the limits documented in discovery.proto and fills in the
 * defaults, before anything reaches the log. The limits are constants: they are part of the
 * API (DNS labels, SRV weights), not tuning.
 */
public final class DiscoveryValidator {
  static final int MAX_SERVICE = 63;
  static final int MAX_INSTANCE_ID = 128;
  static final int MAX_ADDRESS = 253;
  static final int MAX_TAGS = 32;
  static final int MAX_TAG = 63;
  static final int MAX_METADATA_ENTRIES = 64;
  static final int MAX_METADATA_KEY = 128;
  static final int MAX_METADATA_BYTES = 4096;
  static final int MAX_WEIGHT = 65535;
  static final int MAX_CHECKS = 8;
  static final int MAX_CHECK_NAME = 63;
  static final int MAX_URL = 2048;
  static final int MAX_GRPC_SERVICE = 256;
  static final long MIN_INTERVAL_MS = 100;
  static final long MAX_INTERVAL_MS = 3_600_000;
  static final long DEFAULT_INTERVAL_MS = 10_000;
  static final long MIN_TIMEOUT_MS = 100;
  static final long MAX_TIMEOUT_MS = 300_000;
  static final long DEFAULT_TIMEOUT_MS = 5_000;
  static final int MAX_FAILURE_THRESHOLD = 100;
  static final long MIN_DEREGISTER_AFTER_MS = 1_000;
  static final long MAX_DEREGISTER_AFTER_MS = 7L * 24 * 3_600_000;

  private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:@-]+");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern CHECK_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  /** Validates a registration and returns it with every default filled in. */
  public RegisterRequest normalize(RegisterRequest request) {
    checkService("register.service", request.getService());
    checkInstanceId("register.instance_id", request.getInstanceId());
    checkAddress("register.address", request.getAddress());
    checkRange("register.port", request.getPort(), 1, 65535, "");
    checkTags("register.tags", request.getTagsList());
    checkMetadata(request.getMetadataMap());
    if (request.getWeight() != 0) {
      checkRange("register.weight", request.getWeight(), 1, MAX_WEIGHT, "");
    }
    if (request.getSession() <= 0) {
      throw CoordError.invalidField("register.session",
          "required: the id of the session that owns the instance (got " + request.getSession()
              + ")");
    }
    long after = request.getDeregisterCriticalAfterMs();
    if (after != 0) {
      checkRange("register.deregister_critical_after_ms", after, MIN_DEREGISTER_AFTER_MS,
          MAX_DEREGISTER_AFTER_MS, " ms");
    }
    if (request.getChecksCount() > MAX_CHECKS) {
      throw CoordError.limitExceeded("register.checks", request.getChecksCount(), MAX_CHECKS,
          "checks", "discovery.proto");
    }
    RegisterRequest.Builder normalized = request.toBuilder()
        .setWeight(request.getWeight() == 0 ? 1 : request.getWeight())
        .clearChecks();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < request.getChecksCount(); i++) {
      CheckDefinition check = normalize("register.checks[" + i + "]", request.getChecks(i), i);
      if (!names.add(check.getName())) {
        throw CoordError.invalidField("register.checks[" + i + "].name",
            "duplicate check name '" + check.getName() + "'");
      }
      normalized.addChecks(check);
    }
    return normalized.build();
  }

  public void checkDeregister(DeregisterRequest request) {
    checkService("deregister.service", request.getService());
    checkInstanceId("deregister.instance_id", request.getInstanceId());
    if (request.getSession() < 0) {
      throw CoordError.invalidField("deregister.session", "must be 0 or a session id");
    }
  }

  public void checkLookup(LookupRequest request) {
    checkService("lookup.service", request.getService());
    checkTags("lookup.tags", request.getTagsList());
  }

  public void checkWatch(ServiceWatchRequest request) {
    checkService("watch.service", request.getService());
    if (request.getStartRevision() < 0) {
      throw CoordError.invalidField("watch.start_revision",
          "must be 0 (snapshot first) or a revision > 0 (got " + request.getStartRevision() + ")");
    }
  }

  private static CheckDefinition normalize(String field, CheckDefinition check, int index) {
    CheckDefinition.Builder out = check.toBuilder();
    if (check.getName().isEmpty()) {
      out.setName("check-" + (index + 1));
    } else {
      checkPattern(field + ".name", check.getName(), CHECK_NAME, MAX_CHECK_NAME,
          "letters, digits and \"._-\"");
    }
    switch (check.getTargetCase()) {
      case HTTP -> checkUrl(field + ".http.url", check.getHttp().getUrl());
      case TCP -> checkHostPort(field + ".tcp.address", check.getTcp().getAddress());
      case GRPC -> {
        checkHostPort(field + ".grpc.address", check.getGrpc().getAddress());
        if (check.getGrpc().getService().length() > MAX_GRPC_SERVICE) {
          throw CoordError.limitExceeded(field + ".grpc.service",
              check.getGrpc().getService().length(), MAX_GRPC_SERVICE, "characters",
              "discovery.proto");
        }
      }
      case TARGET_NOT_SET -> throw CoordError.invalidField(field,
          "a check needs a target: http, tcp or grpc");
    }
    long interval = check.getIntervalMs() == 0 ? DEFAULT_INTERVAL_MS : check.getIntervalMs();
    checkRange(field + ".interval_ms", interval, MIN_INTERVAL_MS, MAX_INTERVAL_MS, " ms");
    long timeout = check.getTimeoutMs() == 0 ? Math.min(interval, DEFAULT_TIMEOUT_MS)
        : check.getTimeoutMs();
    checkRange(field + ".timeout_ms", timeout, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS, " ms");
    int threshold = check.getFailureThreshold() == 0 ? 1 : check.getFailureThreshold();
    checkRange(field + ".failure_threshold", threshold, 1, MAX_FAILURE_THRESHOLD, "");
    return out.setIntervalMs(interval).setTimeoutMs(timeout).setFailureThreshold(threshold)
        .build();
  }

  static void checkService(String field, String service) {
    if (service.isEmpty()) {
      throw CoordError.invalidField(field, "required: the service name");
    }
    checkPattern(field, service, SERVICE, MAX_SERVICE,
        "lowercase letters, digits and '-', starting and ending with a letter or digit");
  }

  private static void checkInstanceId(String field, String id) {
    if (id.isEmpty()) {
      throw CoordError.invalidField(field, "required: the instance id");
    }
    checkPattern(field, id, INSTANCE_ID, MAX_INSTANCE_ID, "letters, digits and \"._:@-\"");
  }

  private static void checkAddress(String field, String address) {
    if (address.isEmpty()) {
      throw CoordError.invalidField(field, "required: an IP address or host name");
    }
    if (address.length() > MAX_ADDRESS) {
      throw CoordError.limitExceeded(field, address.length(), MAX_ADDRESS, "characters",
          "discovery.proto");
    }
    if (!isAddress(address)) {
      throw CoordError.invalidField(field, "'" + address + "' is neither an IPv4 or IPv6"
          + " address nor a host name");
    }
  }

  /** True for an IPv4 or IPv6 literal or a syntactically valid host name. */
  static boolean isAddress(String address) {
    if (IPV4.matcher(address).matches()) {
      return true;
    }
    if (address.contains(":")) {
      if (!IPV6.matcher(address).matches()) {
        return false;
      }
      try {
        return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    String host = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
    if (host.isEmpty() || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void checkTags(String field, java.util.List<String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw CoordError.limitExceeded(field, tags.size(), MAX_TAGS, "tags", "discovery.proto");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      checkPattern(field + "[" + i + "]", tags.get(i), TAG, MAX_TAG,
          "letters, digits, '-' and '_'");
      if (!seen.add(tags.get(i))) {
        throw CoordError.invalidField(field + "[" + i + "]", "duplicate tag '" + tags.get(i)
            + "'");
      }
    }
  }

  private static void checkMetadata(Map<String, String> metadata) {
    if (metadata.size() > MAX_METADATA_ENTRIES) {
      throw CoordError.limitExceeded("register.metadata", metadata.size(), MAX_METADATA_ENTRIES,
          "entries", "discovery.proto");
    }
    long bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      checkPattern("register.metadata[" + entry.getKey() + "]", entry.getKey(), METADATA_KEY,
          MAX_METADATA_KEY, "letters, digits and \"._-\"");
      bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length
          + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_METADATA_BYTES) {
      throw CoordError.limitExceeded("register.metadata", bytes, MAX_METADATA_BYTES,
          "bytes (keys and values)", "discovery.proto");
    }
  }

  private static void checkUrl(String field, String url) {
    if (url.length() > MAX_URL) {
      throw CoordError.limitExceeded(field, url.length(), MAX_URL, "characters",
          "discovery.proto");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null) {
        throw CoordError.invalidField(field, "must be an http:// or https:// URL with a host"
            + " (got '" + url + "')");
      }
    } catch (URISyntaxException e) {
      throw CoordError.invalidField(field, "not a URL: " + e.getMessage());
    }
  }

  private static void checkHostPort(String field, String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw CoordError.invalidField(field, "must be host:port (got '" + address + "')");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!isAddress(host)) {
      throw CoordError.invalidField(field, "'" + host + "' is not an address or host name");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw CoordError.invalidField(field, "port must be a number (got '" + address + "')");
    }
    checkRange(field + " port", port, 1, 65535, "");
  }

  private static void checkPattern(String field, String value, Pattern pattern, int max,
      String allowed) {
    if (value.length() > max) {
      throw CoordError.limitExceeded(field, value.length(), max, "characters",
          "discovery.proto");
    }
    if (value.isEmpty() || !pattern.matcher(value).matches()) {
      throw CoordError.invalidField(field, "'" + value + "' is not 1-" + max + " characters of "
          + allowed);
    }
  }

  private static void checkRange(String field, long value, long min, long max, String unit) {
    if (value < min || value > max) {
      throw new CoordError(io.coord.proto.v1.ErrorReason.LIMIT_EXCEEDED, field + ": " + value
          + unit + " is outside " + min + unit + " - " + max + unit,
          Map.of("field", field, "limit", min + ".." + max));
    }
  }
}
