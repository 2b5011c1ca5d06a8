package io.coord.server.logging;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %oneLineEx}: an event's exception chain on the same line (" | error: ..."). */
public final class OneLineThrowableConverter extends ThrowableHandlingConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return event.getThrowableProxy() == null ? ""
        : " | error: " + JsonLineEncoder.describe(event.getThrowableProxy());
  }
}
