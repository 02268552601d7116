package dev.ankisupervisor.statusfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The status file's JSON form as written: pretty-printed, nulls kept (the schema lists them), times as
 * UTC RFC 3339 ({@code 2026-11-26T09:00:00Z}, milliseconds when not zero), each object's fields in its
 * record's order. It only writes: the one reader is {@link StatusReader}. Written field by field with
 * jackson-core's generator, as the reader reads with its parser: the object mapper would load and set
 * up several hundred classes on {@code run}'s way to Anki's spawn (docs/performance.md);
 * {@code StatusJsonTest} checks the bytes are the mapper's. Stateless; any thread.
 */
public final class StatusJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private StatusJson() {}

  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  public static byte[] toBytes(StatusDocument doc) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      write(g, doc);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the status document (a bug): " + e.getMessage(), e);
    }
    return (out + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonGenerator g, StatusDocument doc) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schema", doc.schema());
    time(g, "updatedAt", doc.updatedAt());
    SupervisorView s = doc.supervisor();
    g.writeObjectFieldStart("supervisor");
    g.writeNumberField("pid", s.pid());
    number(g, "startTicks", s.startTicks());
    text(g, "version", s.version());
    time(g, "startedAt", s.startedAt());
    text(g, "state", s.state().statusName());
    g.writeEndObject();
    AnkiView a = doc.anki();
    g.writeObjectFieldStart("anki");
    number(g, "pid", a.pid());
    text(g, "profile", a.profile());
    time(g, "readySince", a.readySince());
    g.writeNumberField("restarts", a.restarts());
    if (a.lastExit() == null) {
      g.writeNullField("lastExit");
    } else {
      AnkiView.LastExit e = a.lastExit();
      g.writeObjectFieldStart("lastExit");
      time(g, "at", e.at());
      number(g, "exitCode", e.exitCode() == null ? null : e.exitCode().longValue());
      text(g, "signal", e.signal());
      text(g, "reason", e.reason() == null ? null : e.reason().statusName());
      g.writeEndObject();
    }
    g.writeEndObject();
    ConnectView c = doc.ankiConnect();
    g.writeObjectFieldStart("ankiConnect");
    text(g, "url", c.url());
    time(g, "lastProbeAt", c.lastProbeAt());
    number(g, "lastProbeLatencyMs", c.lastProbeLatencyMs());
    if (c.patches() == null) {
      g.writeNullField("patches");
    } else {
      g.writeObjectFieldStart("patches");
      g.writeBooleanField("configApi", c.patches().configApi());
      g.writeBooleanField("headlessSync", c.patches().headlessSync());
      g.writeEndObject();
    }
    text(g, "problem", c.problem());
    g.writeEndObject();
    SyncView y = doc.sync();
    g.writeObjectFieldStart("sync");
    text(g, "state", y.state().statusName());
    text(g, "trigger", y.trigger() == null ? null : y.trigger().statusName());
    time(g, "lastAttemptAt", y.lastAttemptAt());
    time(g, "lastFinishedAt", y.lastFinishedAt());
    number(g, "lastDurationMs", y.lastDurationMs());
    time(g, "lastSuccessAt", y.lastSuccessAt());
    g.writeNumberField("consecutiveFailures", y.consecutiveFailures());
    time(g, "nextSyncAt", y.nextSyncAt());
    g.writeNumberField("intervalSeconds", y.intervalSeconds());
    text(g, "fullSyncDirection", y.fullSyncDirection() == null ? null : y.fullSyncDirection().statusName());
    if (y.error() == null) {
      g.writeNullField("error");
    } else {
      g.writeObjectFieldStart("error");
      text(g, "kind", y.error().kind().statusName());
      text(g, "message", y.error().message());
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void text(JsonGenerator g, String field, String value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  private static void time(JsonGenerator g, String field, Instant value) throws IOException {
    text(g, field, value == null ? null : format(value));
  }

  private static void number(JsonGenerator g, String field, Long value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value);
    }
  }
}
