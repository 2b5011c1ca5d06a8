package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesValidCompactJsonThatAParserReadsBack() throws Exception {
    String tricky = "quote \" backslash \\ newline \n tab \t nul \0 del \u007f ünï 😀 \u2028";
    Json json = Json.object()
        .put("text", tricky)
        .put("long", Long.MAX_VALUE)
        .put("negative", -1L)
        .put("flag", true)
        .put("none", null)
        .put("list", List.of(1L, "two", Json.object().put("three", 3L)))
        .put("empty", List.of());

    String written = json.toString();
    JsonNode read = new ObjectMapper().readTree(written);

    assertThat(written).doesNotContain("\n");
    assertThat(read.get("text").asText()).isEqualTo(tricky);
    assertThat(read.get("long").asLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(read.get("negative").asLong()).isEqualTo(-1);
    assertThat(read.get("flag").asBoolean()).isTrue();
    assertThat(read.get("none").isNull()).isTrue();
    assertThat(read.get("list").get(2).get("three").asLong()).isEqualTo(3);
    assertThat(read.get("empty")).isEmpty();
    assertThat(JsonDoc.fields(read)).containsExactly("text", "long", "negative", "flag", "none",
        "list", "empty");
  }
}
