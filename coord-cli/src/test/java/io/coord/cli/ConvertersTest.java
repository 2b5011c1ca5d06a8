package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  private final DurationConverter durations = new DurationConverter();

  @Test
  void durationsAreWrittenLikeGos() {
    assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(durations.convert("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(durations.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
    for (String bad : new String[] {"", "5", "s", "0s", "5x", "-1s", "5s junk", "1.5s"}) {
      assertThatThrownBy(() -> durations.convert(bad)).as(bad)
          .isInstanceOf(TypeConversionException.class);
    }
    assertThat(DurationConverter.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void endpointsAreHostAndPort() {
    EndpointConverter endpoints = new EndpointConverter();
    assertThat(endpoints.convert("127.0.0.1:7701")).isEqualTo("127.0.0.1:7701");
    assertThat(endpoints.convert("http://localhost:2379")).isEqualTo("localhost:2379");
    for (String bad : new String[] {"localhost", ":7701", "host:", "host:0", "host:70000"}) {
      assertThatThrownBy(() -> endpoints.convert(bad)).as(bad)
          .isInstanceOf(TypeConversionException.class);
    }
  }

  @Test
  void idsAreDecimalOrHex() {
    IdConverter ids = new IdConverter();
    assertThat(ids.convert("123")).isEqualTo(123L);
    assertThat(ids.convert("0x7b")).isEqualTo(123L);
    assertThat(IdConverter.hex(123)).isEqualTo("000000000000007b");
    assertThatThrownBy(() -> ids.convert("7b")).isInstanceOf(TypeConversionException.class);
  }
}
