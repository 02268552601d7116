package dev.ankisupervisor.backup;

import java.io.IOException;

/**
 * Stops and starts a systemd unit around a backup. The real one runs
 * {@code systemctl}; tests hand in a fake command that records its calls.
 */
public interface ServiceControl {
  void stop(String unit) throws IOException;

  void start(String unit) throws IOException;
}
