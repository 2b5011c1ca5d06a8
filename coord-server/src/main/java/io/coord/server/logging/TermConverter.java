package io.coord.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %term} in a logback pattern: the member's current Raft term. */
public final class TermConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Long.toString(LogFields.term());
  }
}
