package io.coord.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.coord.server.config.ConfigKeys;
import org.slf4j.LoggerFactory;

/**
 * Configures logging of a standalone server from its configuration: one line per event on
 * stderr, as text or JSON, naming the member; Ratis and gRPC at warn.
 */
final class LoggingSetup {
  private LoggingSetup() {}

  static void apply(String member, ConfigKeys.LogFormat format, ConfigKeys.LogLevel level) {
    // Shaded gRPC inside Ratis logs through java.util.logging: route it here too.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.putProperty("member", member);

    Encoder<ILoggingEvent> encoder;
    if (format == ConfigKeys.LogFormat.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithContext(true);
      encoder = json;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%property{member}] "
          + "%logger{0}: %msg%n");
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(console);
    root.setLevel(Level.WARN);
    context.getLogger("io.coord").setLevel(Level.toLevel(level.name()));
    ch.qos.logback.classic.jul.LevelChangePropagator propagator =
        new ch.qos.logback.classic.jul.LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    propagator.start();
    context.addListener(propagator);
  }
}
