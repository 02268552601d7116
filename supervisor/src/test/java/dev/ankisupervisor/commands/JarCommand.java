package dev.ankisupervisor.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short command of the shaded jar ({@code java -jar anki-supervisor.jar ARGS}) as a real
 * process, optionally as another user (through {@code runuser}), and returns its exit code and
 * output. The environment is the test's minus every ANKI_SUPERVISOR_ variable, plus {@link #env}.
 */
final class JarCommand {
  /** What the process did. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private final List<String> args = new ArrayList<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private String user;

  JarCommand(String... args) {
    this.args.addAll(List.of(args));
  }

  JarCommand args(String... more) {
    args.addAll(List.of(more));
    return this;
  }

  /** JVM options after the small JVM's. */
  JarCommand jvm(String... options) {
    jvmOptions.addAll(List.of(options));
    return this;
  }

  JarCommand env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Runs as {@code name} (needs root). */
  JarCommand asUser(String name) {
    user = name;
    return this;
  }

  Result run() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (user != null) {
      cmd.addAll(List.of("runuser", "-u", user, "--"));
    }
    cmd.add(SupervisorProcess.JAVA);
    cmd.addAll(SupervisorProcess.SMALL_JVM);
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", Path.of(SupervisorProcess.JAR).toAbsolutePath().toString()));
    cmd.addAll(args);
    Path out = Files.createTempFile("jar-out", ".txt");
    Path err = Files.createTempFile("jar-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
          .directory(Path.of("/").toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.equals("NOTIFY_SOCKET"));
      pb.environment().put("ANKI_SUPERVISOR_LOG_FORMAT", "plain");
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(SupervisorProcess.WAIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("still running after " + SupervisorProcess.WAIT + ": " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
