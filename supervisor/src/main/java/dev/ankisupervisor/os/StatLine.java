package dev.ankisupervisor.os;

/**
 * Parses the fields {@link ProcFs.Stat} holds straight from the bytes of one {@code /proc/PID/stat}:
 * no decoding of the line into a String, no regular expression. A look at a process group, before
 * every relaunch, parses this line for every process on the machine while the code still runs in the
 * interpreter, where a {@code split("\\s+")} (a pattern compiled per call, a String per field) cost
 * most of the look.
 *
 * <p>Format (proc(5)): {@code pid (comm) state ppid pgrp ... starttime ...}; comm may hold spaces and
 * parentheses, so the fields are counted after the LAST {@code ')'}. Pure functions; any thread.
 */
final class StatLine {
  /** The fields we read: 3 state, 4 ppid, 5 pgrp, 22 start time (1-based, as proc(5) numbers them). */
  private static final int PPID = 4;
  private static final int PGRP = 5;
  private static final int START_TIME = 22;

  private StatLine() {}

  /**
   * The fields of {@code pid}'s stat line in {@code buf[0, length)}, or null when the line is not one
   * (too short, a field not a number). A field cut off by a full buffer does not count as read.
   */
  static ProcFs.Stat parse(long pid, byte[] buf, int length) {
    int close = -1;
    for (int i = length - 1; i >= 0; i--) {
      if (buf[i] == ')') {
        close = i;
        break;
      }
    }
    if (close < 0) {
      return null;
    }
    boolean wholeLine = length < buf.length;
    char state = 0;
    long ppid = -1;
    long pgrp = -1;
    int field = 2; // comm, ending at close
    int i = close + 1;
    while (i < length) {
      while (i < length && isBlank(buf[i])) {
        i++;
      }
      if (i == length) {
        break;
      }
      int start = i;
      while (i < length && !isBlank(buf[i])) {
        i++;
      }
      if (i == length && !wholeLine) {
        return null; // cut off: the buffer was full
      }
      field++;
      if (field == 3) {
        state = (char) (buf[start] & 0xff);
      } else if (field == PPID || field == PGRP || field == START_TIME) {
        long value = digits(buf, start, i);
        if (value < 0) {
          return null;
        }
        if (field == PPID) {
          ppid = value;
        } else if (field == PGRP) {
          pgrp = value;
        } else {
          return new ProcFs.Stat(pid, state, ppid, pgrp, value);
        }
      }
    }
    return null;
  }

  /** A non-negative decimal number, or -1 when {@code text} is not one (a /proc entry such as "self"). */
  static long number(String text) {
    if (text.isEmpty() || text.length() > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static long digits(byte[] buf, int from, int to) {
    if (to - from > 18) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      if (buf[i] < '0' || buf[i] > '9') {
        return -1;
      }
      value = value * 10 + (buf[i] - '0');
    }
    return value;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\n' || b == '\t';
  }
}
