package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code anki-supervisor run} started through the launcher script (so its default JVM flags are
 * what is measured, unless {@code ANKI_SUPERVISOR_JAVA_OPTS} is given in {@link #env}), supervising
 * the stand-in on a {@link StandInBase}. The Anki pid comes from the supervisor's pidfile.
 *
 * <p>Threading: the driver thread.
 */
public final class OurSide implements Side {
  private final StandInBase base;
  /** Flags after the base's common ones; later puts replace earlier ones. */
  private final Map<String, String> flags = new LinkedHashMap<>();
  /** Extra environment: stand-in knobs (inherited by Anki), JVM options, MALLOC_ARENA_MAX. */
  private final Map<String, String> env = new HashMap<>();
  private final Path log;
  private Process process;

  public OurSide(StandInBase base, Path log) {
    this.base = base;
    this.log = log;
    flags.put("--anki-command", String.join(" ", Tools.STAND_IN));
    flags.put("--status-file", base.statusFile().toString());
    // The restart settings are the defaults (a ready Anki that crashes is relaunched at once); only
    // the crash-loop limit is raised, since the bench kills Anki many times in ten minutes.
    flags.put("--max-restarts", "1000");
    flags.put("--start-timeout", "60s");
  }

  /** Sets (or replaces) one flag. */
  public OurSide flag(String name, String value) {
    flags.put(name, value);
    return this;
  }

  /** Sets one environment variable of the supervisor (and so of Anki, unless scrubbed). */
  public OurSide env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Removes one environment variable set earlier. */
  public OurSide unsetEnv(String name) {
    env.remove(name);
    return this;
  }

  @Override
  public String name() {
    return "ours";
  }

  @Override
  public void start() throws IOException {
    List<String> cmd = Tools.launcher("run");
    cmd.addAll(base.commonFlags());
    flags.forEach((k, v) -> {
      cmd.add(k);
      if (!v.isEmpty()) {
        cmd.add(v);
      }
    });
    process = Tools.builder(new ArrayList<>(cmd), env).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  @Override
  public OptionalLong ankiPid() {
    try {
      String text = Files.readString(base.stateDir().resolve("anki.pid")).strip();
      long pid = Long.parseLong(text.split("\\s+")[0]);
      return ProcessHandle.of(pid).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public OptionalLong supervisorPid() {
    return Tools.pidIfAlive(process);
  }

  @Override
  public void stop(Duration atMost) throws InterruptedException {
    Tools.terminate(process, atMost);
  }

  /** The exit code once ended. */
  public int exitValue() {
    return process.exitValue();
  }
}
