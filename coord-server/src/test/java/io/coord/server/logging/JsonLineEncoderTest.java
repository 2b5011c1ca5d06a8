package io.coord.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {
  @Test
  void oneLineWithMemberIdTermAndTheErrorInline() {
    LogFields.install("n7", 0x61fc888cfbb287c5L, () -> 42);
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.coord.Test"), Level.WARN,
        "line one\nline \"two\"", new IllegalStateException("boom"), null);

    String line = new String(new JsonLineEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("}\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    assertThat(line).startsWith("{\"ts\":\"")
        .contains("\"level\":\"WARN\"", "\"member\":\"n7\"",
            "\"member_id\":\"61fc888cfbb287c5\"", "\"term\":42",
            "\"logger\":\"io.coord.Test\"", "\"msg\":\"line one\\nline \\\"two\\\"\"",
            "\"error\":\"java.lang.IllegalStateException: boom at ");
  }

  @Test
  void aTermThatCannotBeReadPrintsZero() {
    LogFields.install("n1", () -> {
      throw new IllegalStateException("stopped");
    });
    assertThat(LogFields.term()).isZero();
  }
}
