package io.coord.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %memberId} in a logback pattern: the member's id as 16 hex digits (as
 * {@code coord member list} prints it), or {@code -} before it is known.
 */
public final class MemberIdConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String id = LogFields.memberId();
    return id.isEmpty() ? "-" : id;
  }
}
