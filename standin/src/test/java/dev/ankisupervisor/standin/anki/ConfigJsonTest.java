package dev.ankisupervisor.standin.anki;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Python's float repr and compact, non-ASCII JSON (P1's size rule); ConfigJsonPythonIT checks the same against CPython. */
class ConfigJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void floatsReadLikePythonRepr() {
    assertThat(ConfigJson.pythonRepr(1.0)).isEqualTo("1.0");
    assertThat(ConfigJson.pythonRepr(100.0)).isEqualTo("100.0");
    assertThat(ConfigJson.pythonRepr(0.1)).isEqualTo("0.1");
    assertThat(ConfigJson.pythonRepr(0.0001)).isEqualTo("0.0001");
    assertThat(ConfigJson.pythonRepr(0.00001)).isEqualTo("1e-05");
    assertThat(ConfigJson.pythonRepr(1e16)).isEqualTo("1e+16");
    assertThat(ConfigJson.pythonRepr(1e15)).isEqualTo("1000000000000000.0");
    assertThat(ConfigJson.pythonRepr(-0.0)).isEqualTo("-0.0");
    assertThat(ConfigJson.pythonRepr(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(ConfigJson.pythonRepr(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
  }

  @Test
  void sizeIsUtf8BytesOfCompactJson() throws Exception {
    assertThat(ConfigJson.dumps(JSON.readTree("{\"a\" : [1, 2.0, \"é😀\"]}"))).isEqualTo("{\"a\":[1,2.0,\"é😀\"]}");
    assertThat(ConfigJson.sizeInBytes(JSON.readTree("\"é😀\""))).isEqualTo(2 + 2 + 4);
    assertThat(ConfigJson.dumps(JSON.readTree("\"a\\nb\\u0001\""))).isEqualTo("\"a\\nb\\u0001\"");
  }
}
