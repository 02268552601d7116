package dev.ankisupervisor.systemd;

import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks systemctl something read-only ({@code show}, {@code cat}) and returns what it printed: the one
 * place that runs systemctl for a question, with a bounded wait and a bounded answer. Stateless;
 * any thread.
 */
final class SystemctlQuery {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private SystemctlQuery() {}

  /**
   * systemctl's standard output for {@code args} (after {@code --no-pager}).
   *
   * @throws IOException when systemctl cannot run, does not answer in time, or exits non-zero
   */
  static String run(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("systemctl", "--no-pager"));
    argv.addAll(List.of(args));
    String command = String.join(" ", argv);
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IOException("cannot run systemctl (" + e.getMessage() + "); this needs systemd", e);
    }
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readNBytes(TextFile.SETTINGS_MAX_BYTES), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not answer within " + TIMEOUT.toSeconds() + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(command + " failed (exit " + p.exitValue() + ")");
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(command + " interrupted");
    }
  }
}
