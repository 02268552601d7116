package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Kills this process by SIGABRT, as Qt and Chromium do with {@code abort()}: the parent sees
 * "terminated by signal 6" (exit status 134 in a shell). HotSpot installs no SIGABRT handler, so
 * a {@code kill -ABRT} of our own pid is the real thing; core dumps are switched off first so the
 * death is quick. Any thread.
 */
final class Abort {
  private Abort() {}

  static void now() {
    String pid = Long.toString(ProcessHandle.current().pid());
    try {
      try {
        run("prlimit", "--core=0", "--pid", pid);
      } catch (IOException noPrlimit) {
        Console.diag("prlimit unavailable (" + noPrlimit.getMessage() + "); a core dump may slow the abort");
      }
      run("kill", "-ABRT", pid);
      Pause.sleep(java.time.Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      Console.diag("could not send SIGABRT to self (" + e.getMessage() + "); halting with 134");
    }
    Runtime.getRuntime().halt(134);
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor(3, TimeUnit.SECONDS);
  }
}
