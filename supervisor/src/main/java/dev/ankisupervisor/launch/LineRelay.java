package dev.ankisupervisor.launch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a child's output into lines for the log, keeping at most {@link #MAX_LINE_BYTES} of each:
 * a longer line (a program that prints megabytes without a newline) is cut, and the line says so
 * and how long it was, while the rest is read and dropped. It never stops draining the pipe, so the
 * child never blocks on a full pipe nor dies of EPIPE, and memory stays bounded whatever it prints.
 *
 * <p>Not thread-safe: one relay thread per stream.
 */
final class LineRelay {
  /** The most of one line that reaches the log: 8 KiB (a Python traceback line is far shorter). */
  static final int MAX_LINE_BYTES = 8192;

  private final InputStream in;
  private final Consumer<String> lines;

  LineRelay(InputStream in, Consumer<String> lines) {
    this.in = new BufferedInputStream(in, 65_536);
    this.lines = lines;
  }

  /** Reads until the end of the stream, handing each (cut) line to the consumer. */
  void run() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    long length = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        emit(line, length);
        line.reset();
        length = 0;
        continue;
      }
      if (length < MAX_LINE_BYTES) {
        line.write(b);
      }
      length++;
    }
    if (length > 0) {
      emit(line, length);
    }
  }

  private void emit(ByteArrayOutputStream line, long length) {
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (length > MAX_LINE_BYTES) {
      text = text + " [line cut: " + length + " bytes, the first " + MAX_LINE_BYTES + " kept]";
    }
    lines.accept(text);
  }
}
