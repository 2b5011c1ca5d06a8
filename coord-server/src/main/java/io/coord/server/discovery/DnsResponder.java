package io.coord.server.discovery;

import io.coord.proto.v1.Instance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries about registered services, Consul style, in the zone {@code coord.}:
 *
 * <ul>
 *   <li>{@code NAME.service.coord} and RFC 2782 {@code _NAME._tcp.service.coord}: A (and AAAA)
 *       records of the healthy instances' IP addresses, SRV records with each instance's weight
 *       and port (priority 1) whose targets are {@code HEX.addr.coord} names resolved in the
 *       additional section (or the instance's host name when it registered one);</li>
 *   <li>{@code TAG.NAME.service.coord} and {@code _NAME._TAG.service.coord}: the same, only
 *       instances carrying TAG (case-insensitive);</li>
 *   <li>{@code HEX.addr.coord}: the address encoded in HEX (8 hex digits IPv4, 32 IPv6).</li>
 * </ul>
 *
 * A name in the zone that names no registered service is NXDOMAIN; a service whose instances
 * are all unhealthy (or lack the tag) answers NOERROR with no records. Both carry the zone's
 * SOA in the authority section. Names outside the zone are REFUSED: this is not a resolver.
 */
public final class DnsResponder {
  static final Name ZONE = name("coord.");
  private static final Name NS = name("ns.coord.");
  private static final Name HOSTMASTER = name("hostmaster.coord.");

  private final Function<String, List<Instance>> instances;
  private final long ttl;

  /**
   * @param instances the instances of a service (empty if none are registered)
   * @param ttlSeconds TTL of every answer
   */
  public DnsResponder(Function<String, List<Instance>> instances, long ttlSeconds) {
    this.instances = instances;
    this.ttl = ttlSeconds;
  }

  /** The response to {@code query}. */
  public Message answer(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      response.getHeader().setRcode(Rcode.NOTIMP);
      return response;
    }
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    response.addRecord(question, Section.QUESTION);
    Name name = question.getName().canonicalize();
    if (!name.subdomain(ZONE)) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    response.getHeader().setFlag(Flags.AA);
    String full = name.toString(true).toLowerCase(Locale.ROOT);
    String relative = full.equals("coord") ? "" : full.substring(0, full.length() - ".coord".length());
    String[] labels = relative.isEmpty() ? new String[0] : relative.split("\\.");
    int type = question.getType();
    if (labels.length == 0 || relative.equals("service") || relative.equals("addr")) {
      if (labels.length == 0 && (type == Type.SOA || type == Type.ANY)) {
        response.addRecord(soa(), Section.ANSWER);
      } else {
        response.addRecord(soa(), Section.AUTHORITY);
      }
      return response;
    }
    if (labels.length == 2 && labels[1].equals("addr")) {
      return address(response, name, labels[0], type);
    }
    Optional<Query> parsed = Query.parse(labels);
    if (parsed.isEmpty()) {
      return nxdomain(response);
    }
    List<Instance> all = instances.apply(parsed.get().service());
    if (all.isEmpty()) {
      return nxdomain(response);
    }
    List<Instance> matching = new ArrayList<>();
    for (Instance instance : all) {
      if (Health.healthy(instance) && parsed.get().matches(instance)) {
        matching.add(instance);
      }
    }
    Collections.shuffle(matching, ThreadLocalRandom.current());
    for (Instance instance : matching) {
      Optional<InetAddress> ip = ip(instance.getAddress());
      if (type == Type.SRV || type == Type.ANY) {
        Name target = ip.map(DnsResponder::addrName)
            .orElseGet(() -> name(instance.getAddress().endsWith(".") ? instance.getAddress()
                : instance.getAddress() + "."));
        response.addRecord(new SRVRecord(name, DClass.IN, ttl, 1, instance.getWeight(),
            instance.getPort(), target), Section.ANSWER);
        ip.ifPresent(a -> response.addRecord(addressRecord(target, a), Section.ADDITIONAL));
      }
      if (ip.isPresent() && (type == Type.ANY || type == Type.A && ip.get().getAddress().length == 4
          || type == Type.AAAA && ip.get().getAddress().length == 16)) {
        response.addRecord(addressRecord(name, ip.get()), Section.ANSWER);
      }
    }
    if (response.getSection(Section.ANSWER).isEmpty()) {
      response.addRecord(soa(), Section.AUTHORITY);
    }
    return response;
  }

  /** A service query: the service and an optional tag. */
  record Query(String service, String tag) {
    static Optional<Query> parse(String[] labels) {
      if (labels[labels.length - 1].equals("service")) {
        if (labels.length == 2) {
          return Optional.of(new Query(labels[0], null));
        }
        if (labels.length == 3) {
          if (labels[0].startsWith("_") && labels[1].startsWith("_")) {
            String tag = labels[1].substring(1);
            return Optional.of(new Query(labels[0].substring(1), tag.equals("tcp") ? null : tag));
          }
          return Optional.of(new Query(labels[1], labels[0]));
        }
      }
      return Optional.empty();
    }

    boolean matches(Instance instance) {
      return tag == null || instance.getTagsList().stream().anyMatch(t -> t.equalsIgnoreCase(tag));
    }
  }

  private Message address(Message response, Name name, String hex, int type) {
    Optional<InetAddress> ip = decode(hex);
    if (ip.isEmpty()) {
      return nxdomain(response);
    }
    boolean v4 = ip.get().getAddress().length == 4;
    if (type == Type.ANY || type == Type.A && v4 || type == Type.AAAA && !v4) {
      response.addRecord(addressRecord(name, ip.get()), Section.ANSWER);
    } else {
      response.addRecord(soa(), Section.AUTHORITY);
    }
    return response;
  }

  private Message nxdomain(Message response) {
    response.getHeader().setRcode(Rcode.NXDOMAIN);
    response.addRecord(soa(), Section.AUTHORITY);
    return response;
  }

  private Record addressRecord(Name name, InetAddress ip) {
    return ip.getAddress().length == 4 ? new ARecord(name, DClass.IN, ttl, ip)
        : new AAAARecord(name, DClass.IN, ttl, ip);
  }

  private SOARecord soa() {
    return new SOARecord(ZONE, DClass.IN, ttl, NS, HOSTMASTER, 1, 3600, 600, 86400, ttl);
  }

  /** The IP literal an instance registered, if its address is one (never a DNS lookup). */
  static Optional<InetAddress> ip(String address) {
    boolean literal = address.contains(":") || address.chars().allMatch(
        c -> c == '.' || Character.isDigit(c));
    if (!literal) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  static Name addrName(InetAddress ip) {
    return name(HexFormat.of().formatHex(ip.getAddress()) + ".addr.coord.");
  }

  private static Optional<InetAddress> decode(String hex) {
    if (hex.length() != 8 && hex.length() != 32) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(HexFormat.of().parseHex(hex)));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad DNS name " + text, e);
    }
  }
}
