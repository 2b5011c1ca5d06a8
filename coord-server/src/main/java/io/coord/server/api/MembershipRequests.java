package io.coord.server.api;

import io.coord.server.config.ConfigException;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.HostPort;
import io.coord.server.error.CoordError;

/** Validation of the fields of membership requests. */
final class MembershipRequests {
  private MembershipRequests() {}

  static String name(String field, String name) {
    if (name.isEmpty()) {
      throw CoordError.invalidField(field, "required (a member name such as n4)");
    }
    try {
      return ConfigKeys.NAME.parse(name);
    } catch (ConfigException e) {
      throw CoordError.invalidField(field, "'" + name + "' is not a member name: 1 to 63"
          + " letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  static String peerAddress(String address) {
    if (address.isEmpty()) {
      throw CoordError.invalidField("peer_address", "required (host:port of the new member's"
          + " Raft transport)");
    }
    try {
      HostPort parsed = HostPort.parse(address);
      if (parsed.port() == 0) {
        throw new IllegalArgumentException("port 0 cannot be reached");
      }
      return parsed.toString();
    } catch (IllegalArgumentException e) {
      throw CoordError.invalidField("peer_address", e.getMessage());
    }
  }
}
