package dev.ankisupervisor.systemd;

import java.io.IOException;
import java.util.Optional;

/**
 * What systemd says about a timer unit: whether it is active (enabled and started), whether it has
 * ever fired, and when it fires next, from {@code systemctl show}. Lets {@code doctor} tell "no
 * backup yet, the timer has not run" from "no backup because nothing runs it". Immutable.
 *
 * @param active ActiveState=active
 * @param hasRun LastTriggerUSec is set (it has fired at least once on this machine)
 * @param next NextElapseUSecRealtime as systemctl prints it, or empty
 */
public record TimerState(boolean active, boolean hasRun, String next) {
  /** The timer's state, or empty when systemctl cannot tell (no systemd, no such timer). */
  public static Optional<TimerState> read(String timer) {
    try {
      return parse(SystemctlQuery.run("show", "--property=LoadState", "--property=ActiveState",
          "--property=LastTriggerUSec", "--property=NextElapseUSecRealtime", "--", timer));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<TimerState> parse(String show) {
    String load = "";
    String active = "";
    String last = "";
    String next = "";
    for (String line : show.split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String v = line.substring(eq + 1).strip();
      switch (line.substring(0, eq)) {
        case "LoadState" -> load = v;
        case "ActiveState" -> active = v;
        case "LastTriggerUSec" -> last = v;
        case "NextElapseUSecRealtime" -> next = v;
        default -> { }
      }
    }
    if (!load.equals("loaded")) {
      return Optional.empty();
    }
    // An unset timestamp prints as empty, "n/a" or 0.
    boolean hasRun = !last.isEmpty() && !last.equals("n/a") && !last.equals("0");
    return Optional.of(new TimerState(active.equals("active"), hasRun, next));
  }
}
