package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A drop-in that keeps a shipped unit's {@code ExecStart=} word for word except the flags a test
 * sets ({@code --anki-command} to the stand-in, {@code --bind} to loopback, a free port ...), plus
 * any other {@code [Service]} lines the test adds. Flags absent from the shipped line are appended.
 */
final class ExecStartDropIn {
  private final List<String> words;
  private final Map<String, String> set = new LinkedHashMap<>();
  private final List<String> extraLines = new ArrayList<>();

  private ExecStartDropIn(List<String> words) {
    this.words = words;
  }

  /** Starts from {@code systemd/<unit>}'s ExecStart as shipped. */
  static ExecStartDropIn of(String unit) throws IOException {
    String exec = UnitFile.read(Path.of("systemd", unit)).value("Service", "ExecStart")
        .orElseThrow(() -> new IllegalStateException("systemd/" + unit + " has no ExecStart"));
    return new ExecStartDropIn(List.of(exec.split("\\s+")));
  }

  /** Sets {@code flag}'s value (replacing the shipped one) or, with a null value, adds the bare flag. */
  ExecStartDropIn flag(String flag, String value) {
    set.put(flag, value);
    return this;
  }

  /** Adds a line such as {@code WatchdogSec=10s} to the {@code [Service]} section. */
  ExecStartDropIn line(String line) {
    extraLines.add(line);
    return this;
  }

  String text() {
    List<String> out = new ArrayList<>();
    Map<String, String> pending = new LinkedHashMap<>(set);
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      out.add(w);
      if (pending.containsKey(w) && pending.get(w) != null && i + 1 < words.size()) {
        out.add(quote(pending.remove(w)));
        i++; // the shipped value
      }
    }
    pending.forEach((flag, value) -> {
      out.add(flag);
      if (value != null) {
        out.add(quote(value));
      }
    });
    StringBuilder s = new StringBuilder("[Service]\nExecStart=\nExecStart=").append(String.join(" ", out)).append('\n');
    extraLines.forEach(l -> s.append(l).append('\n'));
    return s.toString();
  }

  private static String quote(String value) {
    return value.contains(" ") ? "\"" + value + "\"" : value;
  }
}
