package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A drop-in that changes a shipped unit's settings the way the units are meant to be changed: each
 * setting as an {@code ANKI_SUPERVISOR_<FLAG>} variable ({@code Environment=} lines, which replace
 * the unit's own), the shipped {@code ExecStart=} untouched; only a bare flag (a test's
 * {@code --no-such-flag}) goes onto ExecStart. Plus any other {@code [Service]} lines the test adds.
 */
final class SettingsDropIn {
  private final String execStart;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final List<String> bareFlags = new ArrayList<>();
  private final List<String> extraLines = new ArrayList<>();

  private SettingsDropIn(String execStart) {
    this.execStart = execStart;
  }

  /** Starts from {@code systemd/<unit>} as shipped. */
  static SettingsDropIn of(String unit) throws IOException {
    String exec = UnitFile.read(Path.of("systemd", unit)).value("Service", "ExecStart")
        .orElseThrow(() -> new IllegalStateException("systemd/" + unit + " has no ExecStart"));
    return new SettingsDropIn(exec);
  }

  /** Sets {@code flag}'s value as its variable or, with a null value, adds the bare flag to ExecStart. */
  SettingsDropIn flag(String flag, String value) {
    if (value == null) {
      bareFlags.add(flag);
    } else {
      settings.put(flag, value);
    }
    return this;
  }

  /** Adds a line such as {@code WatchdogSec=10s} to the {@code [Service]} section. */
  SettingsDropIn line(String line) {
    extraLines.add(line);
    return this;
  }

  String text() {
    StringBuilder s = new StringBuilder("[Service]\n");
    settings.forEach((flag, value) -> s.append("Environment=\"")
        .append("ANKI_SUPERVISOR_").append(flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT))
        .append('=').append(value).append("\"\n"));
    if (!bareFlags.isEmpty()) {
      s.append("ExecStart=\nExecStart=").append(execStart).append(' ').append(String.join(" ", bareFlags)).append('\n');
    }
    extraLines.forEach(l -> s.append(l).append('\n'));
    return s.toString();
  }
}
