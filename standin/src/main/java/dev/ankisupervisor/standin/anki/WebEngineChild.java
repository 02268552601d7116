package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The helper child Anki's web views start (QtWebEngineProcess), for ANKI_STANDIN_SPAWN_CHILD: a
 * plain {@code sleep} in the stand-in's process group. It outlives a SIGKILLed or crashed parent
 * (as a stray QtWebEngineProcess does) and is stopped on a clean close. Main thread only.
 */
final class WebEngineChild {
  private final Process process;

  private WebEngineChild(Process process) {
    this.process = process;
  }

  static WebEngineChild spawn() throws IOException {
    ProcessBuilder pb = Files.isExecutable(Path.of("/bin/bash"))
        ? new ProcessBuilder("/bin/bash", "-c", "exec -a QtWebEngineProcess sleep 1000000")
        : new ProcessBuilder("sleep", "1000000");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    Console.diag("spawned helper child QtWebEngineProcess pid " + p.pid() + " (ANKI_STANDIN_SPAWN_CHILD)");
    return new WebEngineChild(p);
  }

  void stop() {
    process.destroy();
  }
}
