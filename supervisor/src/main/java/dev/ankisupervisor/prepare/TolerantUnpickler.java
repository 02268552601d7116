package dev.ankisupervisor.prepare;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler made to read ANY valid pickle CPython writes, so a prefs21.db row is never
 * taken for corrupt because it holds a type we do not model (C2: Anki reads protocols 0-5, and its
 * profiles hold PyQt objects such as a QByteArray window geometry). Every object built from a class
 * (GLOBAL/STACK_GLOBAL then REDUCE, NEWOBJ, NEWOBJ_EX, BUILD, INST, OBJ, persistent ids) becomes an
 * {@link PythonPickle.Opaque} naming the class, and so does every set and frozenset; protocol 0's text
 * floats accept {@code nan} and
 * {@code inf}; items and elements added to such an object are skipped. Those values are only looked at, never written back: a changed row keeps its original
 * bytes and gets the changes appended ({@link PythonPickle#withItems}). Also records where STOP is.
 *
 * <p>Single use, single thread.
 */
final class TolerantUnpickler extends Unpickler {
  private CountingInput counting;
  /** Offset of the STOP opcode in the input, once read. */
  private long stopAt = -1;

  /**
   * Valid pickle data this reader cannot hold (the stack ran out while building it): not corrupt, so
   * never a reason to replace the row.
   */
  static final class TooDeepException extends Exception {
    TooDeepException(Throwable cause) {
      super("a value nested too deep to read here (valid pickle data, which Python reads)", cause);
    }
  }

  /** Reads one pickle. */
  Object read(byte[] data) throws IOException, TooDeepException {
    counting = new CountingInput(new java.io.ByteArrayInputStream(data));
    try {
      return load(counting);
    } catch (PickleException | ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException
        | ClassCastException | NullPointerException | UnsupportedOperationException e) {
      throw new IOException("not a readable pickle: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      // The opcodes build values one at a time (no recursion here), but a structure some step
      // walks recursively could still be deeper than this thread's stack: refuse, never crash.
      throw new TooDeepException(e);
    }
  }

  /** Offset of the STOP opcode of the pickle just read. */
  long stopAt() {
    return stopAt;
  }

  @Override
  protected Object dispatch(short key) throws PickleException, IOException {
    switch (key) {
      case Opcodes.STOP -> {
        stopAt = counting.count - 1;
        return super.dispatch(key);
      }
      case Opcodes.FLOAT -> {
        stack.add(textFloat(PickleUtils.readline(input)));
        return NO_RETURN_VALUE;
      }
      case Opcodes.GLOBAL -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(new PythonPickle.Opaque(module + "." + name));
        return NO_RETURN_VALUE;
      }
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        stack.add(new PythonPickle.Opaque(module + "." + name));
        return NO_RETURN_VALUE;
      }
      case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
        stack.pop(); // arguments
        stack.add(instanceOf(stack.pop()));
        return NO_RETURN_VALUE;
      }
      case Opcodes.NEWOBJ_EX -> {
        stack.pop(); // keyword arguments
        stack.pop(); // arguments
        stack.add(instanceOf(stack.pop()));
        return NO_RETURN_VALUE;
      }
      case Opcodes.BUILD -> {
        stack.pop(); // the state goes into an opaque object; nothing to look at
        stack.add(instanceOf(stack.pop()));
        return NO_RETURN_VALUE;
      }
      case Opcodes.SETITEM -> {
        Object value = stack.pop();
        Object key2 = stack.pop();
        if (stack.peek() instanceof PythonPickle.Opaque) {
          return NO_RETURN_VALUE; // items of an object we only name (an OrderedDict, a dict subclass)
        }
        stack.add(key2);
        stack.add(value);
        return super.dispatch(key);
      }
      case Opcodes.SETITEMS, Opcodes.APPENDS, Opcodes.ADDITEMS -> {
        java.util.List<Object> items = stack.pop_all_since_marker();
        if (stack.peek() instanceof PythonPickle.Opaque) {
          return NO_RETURN_VALUE;
        }
        stack.add_mark();
        items.forEach(stack::add);
        return super.dispatch(key);
      }
      case Opcodes.APPEND -> {
        Object value = stack.pop();
        if (stack.peek() instanceof PythonPickle.Opaque) {
          return NO_RETURN_VALUE;
        }
        stack.add(value);
        return super.dispatch(key);
      }
      case Opcodes.EMPTY_SET -> {
        // A set is only looked at, never compared (no seeded key holds one): naming it spares
        // hashing its elements, which for sets nested 100,000 deep recurses that deep.
        stack.add(new PythonPickle.Opaque("set"));
        return NO_RETURN_VALUE;
      }
      case Opcodes.FROZENSET -> {
        stack.pop_all_since_marker();
        stack.add(new PythonPickle.Opaque("frozenset"));
        return NO_RETURN_VALUE;
      }
      case Opcodes.INST -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.pop_all_since_marker();
        stack.add(new PythonPickle.Opaque(module + "." + name + "()"));
        return NO_RETURN_VALUE;
      }
      case Opcodes.OBJ -> {
        java.util.List<Object> args = stack.pop_all_since_marker();
        stack.add(instanceOf(args.isEmpty() ? null : args.get(0)));
        return NO_RETURN_VALUE;
      }
      default -> {
        return super.dispatch(key);
      }
    }
  }

  @Override
  protected Object persistentLoad(Object pid) {
    return new PythonPickle.Opaque("persistent id " + pid);
  }

  private static PythonPickle.Opaque instanceOf(Object callable) {
    return new PythonPickle.Opaque((callable instanceof PythonPickle.Opaque o ? o.type() : String.valueOf(callable)) + "()");
  }

  /** Protocol 0's FLOAT: repr() text, which includes nan, inf and -inf. */
  private static double textFloat(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "nan", "-nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(t);
    };
  }

  /** Counts the bytes read, to find STOP. */
  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }
}
