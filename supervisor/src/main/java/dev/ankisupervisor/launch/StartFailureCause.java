package dev.ankisupervisor.launch;

import java.util.Optional;

/**
 * The causes of a failed start that Anki's own stderr names, each with what to do about it: the
 * diagnosis a crash-loop message carries instead of a guess from the exit status. Both end Anki
 * with exit status 1 before AnkiConnect binds. Stateless.
 */
public final class StartFailureCause {
  /** The loader's words when libGL.so.1 is missing or unusable ("cannot open shared object file", "file too short"). */
  private static final String LIBGL = "libGL.so.1";

  private StartFailureCause() {}

  /** What {@code line} of Anki's stderr says went wrong, when it names a known cause. */
  public static Optional<String> of(String line) {
    if (ChromiumSandbox.isZygoteRefusal(line)) {
      return Optional.of(ChromiumSandbox.refusalDiagnosis());
    }
    if (line.contains(LIBGL) && line.contains("Error")) {
      // Seen on real Anki 25.09.2: "ImportError: /lib/x86_64-linux-gnu/libGL.so.1: file too short",
      // from PyQt6.QtGui's import, exit 1 at once (C4).
      return Optional.of("Anki cannot load libGL.so.1, which its Qt needs even offscreen: " + line.strip()
          + "; install it (Debian: apt-get install libgl1)");
    }
    return Optional.empty();
  }
}
