package dev.ankisupervisor.statusfile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The status file's JSON form as written: pretty-printed, nulls kept (the schema lists them), times as
 * UTC RFC 3339 ({@code 2026-11-26T09:00:00Z}, milliseconds when not zero). It only writes: the one
 * reader is {@link StatusReader}. Stateless; any thread.
 */
public final class StatusJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule("rfc3339")
          .addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider sp) throws IOException {
              gen.writeString(format(value));
            }
          })
          )
      .enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  public static byte[] toBytes(StatusDocument doc) {
    try {
      return (MAPPER.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the status document (a bug): " + e.getMessage(), e);
    }
  }
}
