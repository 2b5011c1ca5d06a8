package io.coord.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One JSON object per log event on one line, in the spirit of etcd's zap logs:
 * {@code {"ts":"...","level":"INFO","member":"n1","member_id":"61fc888cfbb287c5","term":3,
 * "logger":"RaftNode",
 * "thread":"...","msg":"...","error":"..."}} ({@code error} only with an exception).
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"ts\":");
    string(Instant.ofEpochMilli(event.getTimeStamp()).toString(), out);
    out.append(",\"level\":");
    string(event.getLevel().toString(), out);
    out.append(",\"member\":");
    string(LogFields.member(), out);
    out.append(",\"member_id\":");
    string(LogFields.memberId(), out);
    out.append(",\"term\":").append(LogFields.term());
    out.append(",\"logger\":");
    string(event.getLoggerName(), out);
    out.append(",\"thread\":");
    string(event.getThreadName(), out);
    out.append(",\"msg\":");
    string(event.getFormattedMessage(), out);
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      out.append(",\"error\":");
      string(describe(error), out);
    }
    out.append("}\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The exception chain with stack frames, as one string. */
  static String describe(IThrowableProxy error) {
    StringBuilder text = new StringBuilder();
    for (IThrowableProxy cause = error; cause != null; cause = cause.getCause()) {
      if (cause != error) {
        text.append(" caused by ");
      }
      text.append(cause.getClassName()).append(": ").append(cause.getMessage());
      StackTraceElementProxy[] frames = cause.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(frames.length, 12); i++) {
        text.append(" at ").append(frames[i].getStackTraceElement());
      }
    }
    return text.toString();
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    if (text != null) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
