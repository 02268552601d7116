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
import java.util.Set;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;

/**
 * Python pickles of prefs21.db's dicts (C2) through Pyrolite, limited to the plain types Anki
 * stores: None, bool, int, float, str, bytes, list, tuple, dict, set. Reading maps them to null,
 * Boolean, Integer/Long/BigInteger, Double, String, {@link PyBytes}, List, Object[], Map, Set;
 * anything else (an object of some Python class, e.g. an old PyQt value) is refused, because
 * writing it back would change it.
 *
 * <p>Pyrolite writes protocol 2 and turns a Java byte[] into a Python bytearray; so bytes values
 * travel as {@link PyBytes}, written with the BINBYTES opcode (protocol 3), which CPython reads
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

  /** A value we cannot carry through unchanged. */
  static final class UnsupportedValueException extends Exception {
    UnsupportedValueException(String message) {
      super(message);
    }
  }

  static {
    Pickler.registerCustomPickler(PyBytes.class, PythonPickle::writeBytes);
  }

  private PythonPickle() {}

  /**
   * Reads a pickled dict with string keys.
   *
   * @throws IOException when the data is not a pickle, or not a dict
   * @throws UnsupportedValueException when it holds a value of a type we cannot write back
   */
  static Map<String, Object> loadDict(byte[] data) throws IOException, UnsupportedValueException {
    Object o;
    try {
      o = new Unpickler().loads(data);
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException("not a readable pickle: " + e.getMessage(), e);
    }
    if (!(o instanceof Map<?, ?> map)) {
      throw new IOException("the pickle holds a " + (o == null ? "None" : o.getClass().getSimpleName()) + ", not a dict");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new UnsupportedValueException("a dict key is not a string: " + e.getKey());
      }
      out.put(key, plain(key, e.getValue()));
    }
    return out;
  }

  /** Writes a dict as a pickle CPython reads. */
  static byte[] dumpDict(Map<String, Object> dict) {
    try {
      return new Pickler(false).dumps(dict);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("pickling into memory failed", e);
    }
  }

  /**
   * A form of {@code value} with value equality throughout (numbers as BigInteger or Double, tuples
   * as lists tagged "tuple"), to tell whether a dict changed.
   */
  static Object comparable(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(comparable(v)));
      return out;
    }
    if (value instanceof Object[] tuple) {
      List<Object> out = new ArrayList<>();
      out.add("tuple");
      for (Object v : tuple) {
        out.add(comparable(v));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(comparable(k), comparable(v)));
      return out;
    }
    if (value instanceof Set<?> set) {
      Set<Object> out = new LinkedHashSet<>();
      set.forEach(v -> out.add(comparable(v)));
      return out;
    }
    return value;
  }

  private static Object plain(String key, Object v) throws UnsupportedValueException {
    if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof BigInteger
        || v instanceof Double || v instanceof String || v instanceof PyBytes) {
      return v;
    }
    if (v instanceof byte[] b) {
      return new PyBytes(b);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(plain(key, o));
      }
      return out;
    }
    if (v instanceof Object[] tuple) {
      Object[] out = new Object[tuple.length];
      for (int i = 0; i < tuple.length; i++) {
        out[i] = plain(key, tuple[i]);
      }
      return out;
    }
    if (v instanceof Set<?> set) {
      Set<Object> out = new LinkedHashSet<>();
      for (Object o : set) {
        out.add(plain(key, o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(plain(key, e.getKey()), plain(key, e.getValue()));
      }
      return out;
    }
    throw new UnsupportedValueException("key '" + key + "' holds a Python " + v.getClass().getSimpleName()
        + " object, which cannot be written back unchanged");
  }

  /** BINBYTES: 'B', 4-byte little-endian length, the bytes. */
  private static void writeBytes(Object o, OutputStream out, Pickler pickler) throws IOException {
    byte[] b = ((PyBytes) o).data;
    out.write('B');
    out.write(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    out.write(b);
  }
}
