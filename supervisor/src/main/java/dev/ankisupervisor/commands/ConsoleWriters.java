package dev.ankisupervisor.commands;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * stdout and stderr as picocli writes them (its charset choice, auto-flushed), for the commands that run
 * without picocli ({@link QuickRun}, {@code backup}'s quick path): the same bytes either way. Stateless.
 */
final class ConsoleWriters {
  private ConsoleWriters() {}

  static PrintWriter out() {
    return writer(System.out, System.getProperty("sun.stdout.encoding"));
  }

  static PrintWriter err() {
    return writer(System.err, System.getProperty("sun.stderr.encoding"));
  }

  private static PrintWriter writer(OutputStream stream, String encoding) {
    Charset charset;
    try {
      charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
    } catch (RuntimeException e) {
      charset = Charset.defaultCharset();
    }
    return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
  }
}
