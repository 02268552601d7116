package dev.ankisupervisor.prepare;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.razorvine.pickle.Pickler;

/**
 * Python pickles of prefs21.db's dicts (C2). Reading goes through {@link TolerantUnpickler}, which
 * reads any valid pickle: plain values become null, Boolean, Integer/Long/BigInteger, Double, String,
 * byte[] (bytes or bytearray), List, Object[], Map, Set; anything built from a class becomes an
 * {@link Opaque}. Nothing read is ever pickled again: a changed existing row keeps its original bytes
 * byte for byte and gets SETITEM opcodes appended before its STOP ({@link #withItems}), so a value we do
 * not change (a frozenset, a bytearray, a NaN, a PyQt object) survives exactly as Anki wrote it. Only a
 * fresh row, made of our own plain values, is pickled whole ({@link #dumpDict}).
 *
 * <p>Pyrolite writes protocol 2 and turns a Java byte[] into a Python bytearray; so bytes values we
 * write travel as {@link PyBytes}, written with the BINBYTES opcode (protocol 3), which CPython reads
 * whatever protocol the stream announces. Anki reads any protocol 0-5 (its _unpickle is a plain
 * pickle.Unpickler with a sip hook).
 *
 * <p>Stateless; safe from any thread (the custom pickler is registered once, statically).
 */
final class PythonPickle {
  /** A Python {@code bytes} value, with value equality. */
  static final class PyBytes {
    private final byte[] data;

    PyBytes(byte[] data) {
      this.data = data.clone();
    }

    byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PyBytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "bytes[" + data.length + "]";
    }
  }

  /**
   * A value built from a Python class we do not model (a PyQt QByteArray, an OrderedDict...): only its
   * type is known; equal only to itself, so a seeded key holding one is rewritten and any other is left.
   */
  record Opaque(String type) {
    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  static {
    Pickler.registerCustomPickler(PyBytes.class, PythonPickle::writeBytes);
  }

  private PythonPickle() {}

  /**
   * Reads a pickled dict: its items with string keys (other keys are left in the bytes, unread).
   *
   * @throws IOException when the data is not a pickle, or not a dict: the only "corrupt"
   */
  static Map<String, Object> loadDict(byte[] data) throws IOException, TolerantUnpickler.TooDeepException {
    Object o = new TolerantUnpickler().read(data);
    if (!(o instanceof Map<?, ?> map)) {
      throw new IOException("the pickle holds a " + (o == null ? "None" : o.getClass().getSimpleName()) + ", not a dict");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getKey() instanceof String key) {
        out.put(key, e.getValue() instanceof byte[] b ? new PyBytes(b) : e.getValue());
      }
    }
    return out;
  }

  /** Writes a fresh dict of our own plain values as a pickle CPython reads. */
  static byte[] dumpDict(Map<String, Object> dict) {
    try {
      return new Pickler(false).dumps(dict);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("pickling into memory failed", e);
    }
  }

  /**
   * The pickled dict {@code original} with {@code items} set: its bytes up to (not including) STOP,
   * unchanged, then {@code key value SETITEM} for each item, then STOP. At STOP the dict is the top
   * of the unpickler's stack, so CPython (and Anki) reads the dict with those keys replaced or added
   * and every other byte as written. The appended opcodes use no memo.
   *
   * @throws IOException when {@code original} is not a readable pickled dict
   */
  static byte[] withItems(byte[] original, Map<String, Object> items)
      throws IOException, TolerantUnpickler.TooDeepException {
    TolerantUnpickler reader = new TolerantUnpickler();
    if (!(reader.read(original) instanceof Map<?, ?>) || reader.stopAt() < 0) {
      throw new IOException("not a pickled dict");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(original, 0, (int) reader.stopAt());
    for (Map.Entry<String, Object> e : items.entrySet()) {
      out.write(body(e.getKey()));
      out.write(body(e.getValue()));
      out.write('s'); // SETITEM
    }
    out.write('.'); // STOP
    return out.toByteArray();
  }

  /** One value's opcodes, without Pyrolite's PROTO header and STOP. */
  private static byte[] body(Object value) throws IOException {
    byte[] whole = new Pickler(false).dumps(value);
    return Arrays.copyOfRange(whole, 2, whole.length - 1);
  }

  /** How deep {@link #sameValue} looks: far below any stack limit, far above any value Anki writes. */
  static final int COMPARE_DEPTH = 64;

  /**
   * Whether two values read from (or meant for) a row are equal as Python would say. The one rule
   * for "did this key change". A value that holds itself (a dict inside itself) or nests deeper than
   * {@link #COMPARE_DEPTH} is equal only to itself: it is never ours, so a seeded key holding one is
   * simply rewritten, and any other key keeps its bytes.
   */
  static boolean sameValue(Object a, Object b) {
    return a == b || Objects.equals(comparable(a, 0), comparable(b, 0));
  }

  /**
   * A form of {@code value} with value equality throughout (numbers as BigInteger or Double, tuples
   * as lists tagged "tuple"), to tell whether a dict changed; below {@link #COMPARE_DEPTH} levels a
   * fresh {@link Opaque}, equal to nothing.
   */
  private static Object comparable(Object value, int depth) {
    if (depth > COMPARE_DEPTH) {
      return new Opaque("value nested deeper than " + COMPARE_DEPTH);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(comparable(v, depth + 1)));
      return out;
    }
    if (value instanceof Object[] tuple) {
      List<Object> out = new ArrayList<>();
      out.add("tuple");
      for (Object v : tuple) {
        out.add(comparable(v, depth + 1));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(comparable(k, depth + 1), comparable(v, depth + 1)));
      return out;
    }
    if (value instanceof Set<?> set) {
      Set<Object> out = new LinkedHashSet<>();
      set.forEach(v -> out.add(comparable(v, depth + 1)));
      return out;
    }
    return value;
  }

  /** BINBYTES: 'B', 4-byte little-endian length, the bytes. */
  private static void writeBytes(Object o, OutputStream out, Pickler pickler) throws IOException {
    byte[] b = ((PyBytes) o).data;
    out.write('B');
    out.write(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    out.write(b);
  }
}
