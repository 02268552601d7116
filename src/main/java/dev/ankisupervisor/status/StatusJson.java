package dev.ankisupervisor.status;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The status file's JSON form: pretty-printed, nulls kept (the schema lists them), times as UTC
 * RFC 3339 ({@code 2026-11-26T09:00:00Z}, milliseconds when not zero). Stateless; any thread.
 */
final class StatusJson {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule("rfc3339")
          .addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider sp) throws IOException {
              gen.writeString(format(value));
            }
          })
          .addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
              return OffsetDateTime.parse(p.getValueAsString()).toInstant();
            }
          }))
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StatusJson() {}

  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  static byte[] toBytes(StatusDocument doc) {
    try {
      return (MAPPER.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the status document (a bug): " + e.getMessage(), e);
    }
  }
}
