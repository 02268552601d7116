package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Real Anki started bare, as a shell script would: {@code setsid anki -b BASE -p PROFILE} with the
 * launcher's environment, no supervisor. Its own process group (setsid execs in place, so the pid is
 * the group's id), so stopping it ends QtWebEngine's helpers too. The baseline of the real-Anki figures.
 *
 * <p>Threading: the driver thread.
 */
final class RealBareSide implements Side {
  private final RealAnki anki;
  private final StandInBase base;
  private Process process;

  RealBareSide(RealAnki anki, StandInBase base) {
    this.anki = anki;
    this.base = base;
  }

  @Override
  public String name() {
    return "bare";
  }

  @Override
  public void start() throws IOException {
    List<String> cmd = new ArrayList<>(List.of("setsid", anki.ankiCommand(), "-b", base.base().toString(), "-p",
        Tools.PROFILE));
    process = Tools.builder(cmd, anki.bareEnv(base.dir().resolve("tmp"))).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(base.dir().resolve("bare.log").toFile())).start();
  }

  @Override
  public OptionalLong ankiPid() {
    return Tools.pidIfAlive(process);
  }

  @Override
  public OptionalLong supervisorPid() {
    return OptionalLong.empty();
  }

  /** SIGTERM to the group (Anki closes its collection, C6), then SIGKILL after {@code atMost}. */
  @Override
  public void stop(Duration atMost) throws InterruptedException {
    if (process == null) {
      return;
    }
    long group = process.pid();
    ProcStat.signalGroup(group, "TERM");
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      ProcStat.signalGroup(group, "KILL");
      process.waitFor();
    }
    // Helpers that outlived Anki (QtWebEngine's zygotes) go with the group.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ProcessGroupMemory.members(group).isEmpty() && System.nanoTime() < deadline) {
      ProcStat.signalGroup(group, "KILL");
      Thread.sleep(50);
    }
  }
}
