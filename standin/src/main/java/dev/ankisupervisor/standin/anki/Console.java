package dev.ankisupervisor.standin.anki;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.FileOutputStream;
import java.io.FileDescriptor;

/**
 * The stand-in's two voices: lines Anki itself prints (stdout, as the real program would) and the
 * stand-in's own diagnostics (stderr, prefixed {@code [stand-in]}). Every line is flushed at once,
 * so a supervisor or test reading the pipe sees it promptly. Safe to call from any thread.
 */
final class Console {
  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
  private static final PrintStream ERR =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

  private Console() {}

  /** A line the real Anki prints on stdout. */
  static synchronized void anki(String line) {
    OUT.println(line);
    OUT.flush();
  }

  /** A line the real program (Qt, Chromium, Python) prints on stderr. */
  static synchronized void ankiErr(String line) {
    ERR.println(line);
    ERR.flush();
  }

  /**
   * {@code megabytes} MiB of one byte on stderr without a newline, then the newline
   * (ANKI_STANDIN_STDERR_LINE_MB: a program that prints a huge line); written in chunks, never held.
   */
  static synchronized void longStderrLine(long megabytes) {
    byte[] chunk = new byte[1 << 20];
    java.util.Arrays.fill(chunk, (byte) 'x');
    for (long i = 0; i < megabytes; i++) {
      ERR.write(chunk, 0, chunk.length);
    }
    ERR.println();
    ERR.flush();
  }

  /** The stand-in's own diagnostic line on stderr. */
  static synchronized void diag(String line) {
    ERR.println("[stand-in] " + line);
    ERR.flush();
  }
}
