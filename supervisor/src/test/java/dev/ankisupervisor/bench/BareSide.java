package dev.ankisupervisor.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in Anki started directly, no supervisor: the baseline whose own start -> ready time is
 * subtracted from both supervisors' figures.
 *
 * <p>Threading: the driver thread.
 */
final class BareSide implements Side {
  private final StandInBase base;
  private final Map<String, String> knobs;
  private Process process;

  BareSide(StandInBase base, Map<String, String> knobs) {
    this.base = base;
    this.knobs = Map.copyOf(knobs);
  }

  @Override
  public String name() {
    return "bare";
  }

  @Override
  public void start() throws IOException {
    process = Tools.builder(base.standInCommand(), base.standInEnv(knobs)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(base.dir().resolve("bare.log").toFile())).start();
  }

  @Override
  public OptionalLong ankiPid() {
    return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  @Override
  public OptionalLong supervisorPid() {
    return OptionalLong.empty();
  }

  @Override
  public void stop(Duration atMost) throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
