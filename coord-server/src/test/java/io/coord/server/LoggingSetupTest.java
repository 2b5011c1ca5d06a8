package io.coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.coord.server.logging.LogFields;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The text log format: one line naming the member, its id and its term. */
class LoggingSetupTest {
  private static String encode(String message, Throwable error) {
    LoggerContext context = new LoggerContext();
    context.putProperty("member", "n7");
    PatternLayoutEncoder encoder = LoggingSetup.textEncoder(context);
    encoder.setContext(context);
    encoder.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.coord.server.RaftNode"),
        Level.INFO, message, error, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void aTextLineCarriesTheMemberNameIdAndTerm() {
    LogFields.install("n7", 0x61fc888cfbb287c5L, () -> 3);

    String line = encode("became leader\nof everything", new IllegalStateException("boom"));

    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
        + "(Z|[+-]\\d\\d:\\d\\d) INFO  \\[n7 id=61fc888cfbb287c5 term=3\\] RaftNode:"
        + " became leader of everything \\| error:"
        + " java\\.lang\\.IllegalStateException: boom at .*\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
  }
}
