package dev.ankisupervisor.standin.anki;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** AnkiConnect's allowOrigin rules (A2). */
class CorsPolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CorsPolicy.Decision decide(String origin, String list) throws Exception {
    return CorsPolicy.decide(origin, JSON.readTree(list), null);
  }

  @Test
  void noOriginAlwaysPasses() throws Exception {
    assertThat(decide(null, "[]").allowed()).isTrue();
  }

  @Test
  void localhostAlsoAllowsLoopbackAndExtensions() throws Exception {
    assertThat(decide("http://127.0.0.1:8080", "[\"http://localhost\"]").allowed()).isTrue();
    assertThat(decide("chrome-extension://x", "[\"http://localhost\"]").allowed()).isTrue();
    assertThat(decide("http://evil", "[\"http://localhost\"]").allowed()).isFalse();
    assertThat(decide("http://127.0.0.1:8080", "[\"http://other\"]").allowed()).isFalse();
  }

  @Test
  void starAllowsAllAndAnswersStar() throws Exception {
    assertThat(decide("http://evil", "[\"*\"]")).isEqualTo(new CorsPolicy.Decision(true, "*"));
  }
}
