package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Debian's supervisord (package {@code supervisor}) supervising the same stand-in with the same
 * command line and environment: a private config file ({@code nodaemon=true}, its own socket,
 * pidfile and log in this side's folder), {@code autorestart=true}, {@code startsecs=0},
 * {@code startretries=1000}. The Anki pid is supervisord's child.
 *
 * <p>Threading: the driver thread.
 */
final class SupervisordSide implements Side {
  private final StandInBase base;
  private final Map<String, String> knobs;
  private final Path conf;
  private Process process;

  SupervisordSide(StandInBase base, Map<String, String> knobs) {
    this.base = base;
    this.knobs = Map.copyOf(knobs);
    this.conf = base.dir().resolve("supervisord.conf");
  }

  @Override
  public String name() {
    return "supervisord";
  }

  /** The config file, for supervisorctl. */
  Path conf() {
    return conf;
  }

  @Override
  public void start() throws IOException {
    Path d = base.dir();
    String env = base.standInEnv(knobs).entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(","));
    Tools.write(conf, String.join("\n",
        "[unix_http_server]", "file=" + d.resolve("supervisor.sock"), "",
        "[supervisord]", "nodaemon=true", "logfile=" + d.resolve("supervisord.log"),
        "pidfile=" + d.resolve("supervisord.pid"), "childlogdir=" + d, "loglevel=info", "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface", "",
        "[supervisorctl]", "serverurl=unix://" + d.resolve("supervisor.sock"), "",
        "[program:anki]", "command=" + String.join(" ", base.standInCommand()), "environment=" + env,
        "autostart=true", "autorestart=true", "startsecs=0", "startretries=1000", "stopsignal=TERM",
        "stopwaitsecs=30", "killasgroup=true", "stopasgroup=true",
        "stdout_logfile=" + d.resolve("anki.log"), "redirect_stderr=true", ""));
    process = Tools.builder(List.of("supervisord", "-c", conf.toString()), Map.of()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("supervisord.out").toFile())).start();
  }

  @Override
  public OptionalLong ankiPid() {
    if (process == null) {
      return OptionalLong.empty();
    }
    try {
      Path children = Path.of("/proc", Long.toString(process.pid()), "task", Long.toString(process.pid()), "children");
      for (String c : Files.readString(children).trim().split("\\s+")) {
        if (!c.isEmpty() && ProcStat.cmdline(Long.parseLong(c)).contains("StandIn anki")) {
          return OptionalLong.of(Long.parseLong(c));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return OptionalLong.empty();
  }

  @Override
  public OptionalLong supervisorPid() {
    return Tools.pidIfAlive(process);
  }

  @Override
  public void stop(Duration atMost) throws InterruptedException {
    Tools.terminate(process, atMost);
  }
}
