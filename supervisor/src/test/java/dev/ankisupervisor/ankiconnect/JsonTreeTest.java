package dev.ankisupervisor.ankiconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonTree} against the object mapper it replaces: the same trees from the same text, the same text back. */
class JsonTreeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<String> TEXTS = List.of(
      "{\"result\": [\"Default\", \"Ünï \\\"deck\\\"\", \"a\\u0000b\"], \"error\": null}",
      "{\"a\": 1, \"b\": -2147483649, \"c\": 123456789012345678901234567890, \"d\": 1.5, \"e\": 1e400, \"f\": -0.0,"
          + " \"g\": 2.50, \"h\": true, \"i\": false, \"j\": null, \"k\": {}, \"l\": [], \"m\": [[1], {\"n\": [null]}]}",
      "{\"dup\": 1, \"other\": 2, \"dup\": \"last\"}",
      "{\"config\": {\"webBindAddress\": \"127.0.0.1\", \"webBindPort\": 8765, \"apiKey\": null,"
          + " \"webCorsOriginList\": [\"http://localhost\"], \"configApi\": {\"enable\": false}}, \"disabled\": false,"
          + " \"mod\": 1700000000, \"human_version\": \"25.11.9.0\"}",
      "[1, \"two\", 3.0]", "\"just text\"", "42", "null", "{} trailing words are ignored, as by the mapper", "", "  \n");

  @Test
  void readsTheMappersTrees() throws IOException {
    for (String text : TEXTS) {
      JsonNode ours = JsonTree.read(text);
      JsonNode mappers = MAPPER.readTree(text);
      assertThat(ours).as(text).isEqualTo(mappers);
      assertThat(ours.getNodeType()).as(text).isEqualTo(mappers.getNodeType());
    }
  }

  @Test
  void writesTheMappersText() throws IOException {
    for (String text : TEXTS) {
      JsonNode tree = MAPPER.readTree(text);
      assertThat(JsonTree.write(tree)).as(text).isEqualTo(MAPPER.writeValueAsString(tree));
      assertThat(new String(JsonTree.writePretty(tree), java.nio.charset.StandardCharsets.UTF_8)).as(text)
          .isEqualTo(new String(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree),
              java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void refusesWhatIsNotJsonWithTheMappersMessage() {
    for (String text : List.of("{\"a\": ", "{'a': 1}", "[1,]", "nope")) {
      String expected = catchMessage(() -> MAPPER.readTree(text));
      assertThatThrownBy(() -> JsonTree.read(text)).as(text).isInstanceOf(IOException.class).hasMessage(expected);
    }
  }

  private static String catchMessage(ThrowingRunnable r) {
    try {
      r.run();
      throw new AssertionError("no exception");
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  @Test
  void buildsARequestsParamsAsTheMapperDid() throws IOException {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("scopes", List.of("actions"));
    params.put("key", "bench.x");
    params.put("val", MAPPER.readTree("{\"n\": [1, 2.5, null]}"));
    params.put("force", true);
    params.put("count", 3);
    params.put("big", 1L << 40);
    params.put("none", null);
    params.put("nested", Map.of("a", List.of()));
    assertThat(JsonTree.of(params)).isEqualTo(MAPPER.valueToTree(params));
    assertThat(JsonTree.write(JsonTree.of(params))).isEqualTo(MAPPER.writeValueAsString(MAPPER.valueToTree(params)));
    assertThatThrownBy(() -> JsonTree.of(Map.of("ratio", 0.25))).isInstanceOf(IllegalArgumentException.class);
  }
}
