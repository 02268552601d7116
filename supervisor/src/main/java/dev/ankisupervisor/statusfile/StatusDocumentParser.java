package dev.ankisupervisor.statusfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a status document with Jackson's streaming parser only, building the records by hand. Reading
 * the file is what {@code status} does every minute under monitoring, and Jackson's object mapper
 * costs about a hundred milliseconds of start-up (hundreds of classes set up and records introspected)
 * for a two-kilobyte file. It reads what {@link StatusJson} writes: the record components' names,
 * times as RFC 3339, enums by their status names; unknown fields are ignored, a missing or null
 * value is null (0 for a number the records keep as a primitive), as Jackson's mapper did.
 * {@code StatusDocumentTest} checks that both agree.
 *
 * <p>Threading: stateless; any thread.
 */
final class StatusDocumentParser {
  private static final JsonFactory JSON = new JsonFactory();

  private StatusDocumentParser() {}

  /** A value that does not fit the schema: its field and why. */
  static final class BadValue extends Exception {
    BadValue(String message) {
      super(message);
    }
  }

  /**
   * The JSON text as plain values: {@code Map} (insertion order), {@code List}, {@code String},
   * {@code Long}/{@code Double}/{@code java.math.BigInteger}, {@code Boolean}, or null.
   *
   * @throws IOException not JSON (one line), or more than one value
   */
  static Object tree(String text) throws IOException {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      Object v = value(p, t);
      if (p.nextToken() != null) {
        throw new IOException("more than one JSON value");
      }
      return v;
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberValue() instanceof Integer i ? Long.valueOf(i) : p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected " + t);
    }
  }

  /** The document of a parsed status file (its schema already checked). */
  static StatusDocument document(Map<String, Object> root) throws BadValue {
    try {
      Map<String, Object> sup = object(root, "supervisor");
      Map<String, Object> anki = object(root, "anki");
      Map<String, Object> connect = object(root, "ankiConnect");
      Map<String, Object> sync = object(root, "sync");
      return new StatusDocument((int) number(root, "schema"), instant(root, "updatedAt"),
          sup == null ? null : new SupervisorView(number(sup, "pid"), boxed(sup, "startTicks"), string(sup, "version"), instant(sup, "startedAt"),
              named(sup, "state", SupervisorState.values(), SupervisorState::statusName)),
          anki == null ? null : anki(anki),
          connect == null ? null : connect(connect),
          sync == null ? null : sync(sync));
    } catch (RuntimeException e) {
      // A record refusing a value (a null where one is required, a negative count).
      throw new BadValue(e.toString());
    }
  }

  private static AnkiView anki(Map<String, Object> a) throws BadValue {
    Map<String, Object> e = object(a, "lastExit");
    AnkiView.LastExit exit = e == null ? null : new AnkiView.LastExit(instant(e, "at"), integer(e, "exitCode"),
        string(e, "signal"), named(e, "reason", ExitReason.values(), ExitReason::statusName));
    return new AnkiView(boxed(a, "pid"), string(a, "profile"), instant(a, "readySince"), (int) number(a, "restarts"),
        exit);
  }

  private static ConnectView connect(Map<String, Object> c) throws BadValue {
    Map<String, Object> p = object(c, "patches");
    AddonPatches patches = p == null ? null : new AddonPatches(bool(p, "configApi"), bool(p, "headlessSync"));
    return new ConnectView(string(c, "url"), instant(c, "lastProbeAt"), boxed(c, "lastProbeLatencyMs"), patches,
        string(c, "problem"));
  }

  private static SyncView sync(Map<String, Object> s) throws BadValue {
    Map<String, Object> e = object(s, "error");
    SyncView.SyncError error = e == null ? null : new SyncView.SyncError(
        named(e, "kind", SyncOutcome.values(), SyncOutcome::statusName), string(e, "message"));
    String state = string(s, "state");
    SyncState st;
    try {
      st = state == null ? null : SyncState.fromStatusName(state);
    } catch (IllegalArgumentException x) {
      throw new BadValue("sync.state: " + x.getMessage());
    }
    return new SyncView(st, named(s, "trigger", SyncTrigger.values(), SyncTrigger::statusName),
        instant(s, "lastAttemptAt"), instant(s, "lastFinishedAt"), boxed(s, "lastDurationMs"),
        instant(s, "lastSuccessAt"), (int) number(s, "consecutiveFailures"), instant(s, "nextSyncAt"),
        number(s, "intervalSeconds"), named(s, "fullSyncDirection", FullSyncDirection.values(),
            FullSyncDirection::statusName), error);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> m, String key) throws BadValue {
    Object v = m.get(key);
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw new BadValue(key + " must be an object, found " + v);
  }

  private static String string(Map<String, Object> m, String key) throws BadValue {
    Object v = m.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new BadValue(key + " must be a string, found " + v);
  }

  private static Instant instant(Map<String, Object> m, String key) throws BadValue {
    String s = string(m, key);
    try {
      return s == null ? null : OffsetDateTime.parse(s).toInstant();
    } catch (RuntimeException e) {
      throw new BadValue(key + " must be an RFC 3339 time, found " + s);
    }
  }

  /** A whole number that fits a long, or null. */
  private static Long boxed(Map<String, Object> m, String key) throws BadValue {
    Object v = m.get(key);
    if (v == null || v instanceof Long) {
      return (Long) v;
    }
    throw new BadValue(key + " must be a whole number, found " + v);
  }

  /** A whole number kept as a primitive: missing or null is 0. */
  private static long number(Map<String, Object> m, String key) throws BadValue {
    Long v = boxed(m, key);
    return v == null ? 0 : v;
  }

  private static Integer integer(Map<String, Object> m, String key) throws BadValue {
    Long v = boxed(m, key);
    if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
      throw new BadValue(key + " is out of range: " + v);
    }
    return v == null ? null : v.intValue();
  }

  private static boolean bool(Map<String, Object> m, String key) throws BadValue {
    Object v = m.get(key);
    if (v == null || v instanceof Boolean) {
      return v != null && (Boolean) v;
    }
    throw new BadValue(key + " must be true or false, found " + v);
  }

  private static <E> E named(Map<String, Object> m, String key, E[] values, Function<E, String> name) throws BadValue {
    String s = string(m, key);
    if (s == null) {
      return null;
    }
    for (E e : values) {
      if (name.apply(e).equals(s)) {
        return e;
      }
    }
    throw new BadValue(key + " must be one of the schema's names, found " + s);
  }
}
