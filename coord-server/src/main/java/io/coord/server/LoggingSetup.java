package io.coord.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.coord.server.config.ConfigKeys;
import io.coord.server.logging.JsonLineEncoder;
import io.coord.server.logging.LogFields;
import io.coord.server.logging.MemberIdConverter;
import io.coord.server.logging.OneLineThrowableConverter;
import io.coord.server.logging.TermConverter;
import org.slf4j.LoggerFactory;

/**
 * Configures logging of a standalone server from its configuration: one line per event on
 * stderr, as text or JSON, naming the member (name and id) and its current Raft term; Ratis and
 * gRPC at warn.
 */
final class LoggingSetup {
  private LoggingSetup() {}

  /** The text format's pattern: {@code [NAME id=16-HEX-DIGITS term=N]} before the logger. */
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level"
      + " [%property{member} id=%memberId term=%term] %logger{0}:"
      + " %replace(%msg){'[\\r\\n]+', ' '}%oneLineEx%n";

  static void apply(String member, long memberId, ConfigKeys.LogFormat format,
      ConfigKeys.LogLevel level) {
    // Shaded gRPC inside Ratis logs through java.util.logging: route it here too.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.putProperty("member", member);

    LogFields.install(member, memberId, () -> 0);
    Encoder<ILoggingEvent> encoder = format == ConfigKeys.LogFormat.JSON ? new JsonLineEncoder()
        : textEncoder(context);
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

  /** The text format's encoder (not started), its converters registered on {@code context}. */
  static PatternLayoutEncoder textEncoder(LoggerContext context) {
    @SuppressWarnings("unchecked")
    java.util.Map<String, String> converters = (java.util.Map<String, String>) context
        .getObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY);
    java.util.Map<String, String> rules = converters == null ? new java.util.HashMap<>()
        : converters;
    rules.put("term", TermConverter.class.getName());
    rules.put("memberId", MemberIdConverter.class.getName());
    rules.put("oneLineEx", OneLineThrowableConverter.class.getName());
    context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, rules);
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setPattern(TEXT_PATTERN);
    return pattern;
  }
}
