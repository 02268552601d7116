package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ServiceControl} through {@code systemctl stop|start UNIT}, found on the PATH (a test puts a
 * recording one first). Waits for each call up to a timeout; a non-zero exit becomes an IOException
 * carrying systemctl's own message. Any one thread at a time.
 */
public final class SystemctlControl implements ServiceControl {
  private final Duration timeout;

  public SystemctlControl(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void stop(String unit) throws IOException {
    call("stop", unit);
  }

  @Override
  public void start(String unit) throws IOException {
    call("start", unit);
  }

  private void call(String verb, String unit) throws IOException {
    List<String> argv = List.of("systemctl", verb, unit);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + " s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + " failed (exit " + p.exitValue() + ")"
            + (out.isEmpty() ? "" : ": " + out.lines().findFirst().orElse("")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(String.join(" ", argv) + " interrupted");
    }
  }
}
