package dev.ankisupervisor.standin.anki;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * P1's size rule cross-checked against real CPython: for each value, Python's
 * {@code json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)} and its UTF-8
 * length must equal {@link ConfigJson}'s, byte for byte.
 */
class ConfigJsonPythonIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VALUES = List.of(
      "null", "true", "false", "0", "-7", "123456789012345678901234567890",
      "1.0", "-0.0", "0.1", "2.5", "1e16", "1e15", "123456789.123", "0.0001", "0.00001", "1.5e-7",
      "1E2", "3.141592653589793", "1e308", "5e-324", "2e23", "1e400",
      "\"\"", "\"plain\"", "\"Grüße, 世界 😀\"", "\"quote \\\" backslash \\\\ slash /\"",
      "\"\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\\u2028\"", "\"é\"",
      "[]", "{}", "[1, 2.0, \"x\", null, [true, {}]]",
      "{\"b\": 1, \"a\": {\"nested\": [\"ü\", 1e-5]}, \"c\": \"\"}");

  @Test
  void compactJsonMatchesPythonByteForByte() throws Exception {
    String script = "import json,sys\n"
        + "for line in sys.stdin.read().split('\\n'):\n"
        + "    if not line: continue\n"
        + "    s = json.dumps(json.loads(json.loads(line)), separators=(',', ':'), ensure_ascii=False)\n"
        + "    sys.stdout.write(json.dumps([s, len(s.encode('utf-8'))]) + '\\n')\n";
    Process p = new ProcessBuilder("python3", "-c", script).start();
    StringBuilder input = new StringBuilder();
    for (String v : VALUES) {
      input.append(JSON.writeValueAsString(v)).append('\n'); // each value's text as a JSON string
    }
    p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("python3 stderr: %s", err).isZero();

    List<String> mismatches = new ArrayList<>();
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(VALUES.size());
    for (int i = 0; i < VALUES.size(); i++) {
      JsonNode python = JSON.readTree(lines[i]);
      JsonNode value = JSON.readTree(VALUES.get(i));
      String mine = ConfigJson.dumps(value);
      int mySize = ConfigJson.sizeInBytes(value);
      if (!mine.equals(python.get(0).asText()) || mySize != python.get(1).asInt()) {
        mismatches.add(VALUES.get(i) + ": python " + python + " java [" + mine + ", " + mySize + "]");
      }
    }
    assertThat(mismatches).isEmpty();
  }
}
