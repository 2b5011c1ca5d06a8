package io.coord.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks that an endpoint is {@code host:port}, tolerating an etcd-style {@code http://}. */
final class EndpointConverter implements ITypeConverter<String> {
  @Override
  public String convert(String text) {
    String endpoint = text.trim().replaceFirst("^https?://", "");
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0) {
      throw new TypeConversionException("'" + text + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(endpoint.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' has no valid port (1-65535)");
    }
    return endpoint;
  }
}
