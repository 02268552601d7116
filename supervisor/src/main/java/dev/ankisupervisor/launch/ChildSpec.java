package dev.ankisupervisor.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything needed to start the child: its argv (no {@code setsid} prefix; {@link AnkiLauncher}
 * adds it), its whole environment (nothing is inherited beyond this map), its working folder and
 * its private TMPDIR (C5), which the launcher creates with mode 0700.
 *
 * <p>Immutable value; {@link #toString()} prints the environment's names only (values may be private).
 */
public record ChildSpec(List<String> argv, Map<String, String> env, Path workDir, Path tmpDir) {
  public ChildSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(tmpDir, "tmpDir");
    if (argv.isEmpty() || argv.get(0).isBlank()) {
      throw new IllegalArgumentException("a child's argv must start with a program, found " + argv);
    }
  }

  /** A copy with a different environment (for tests: the stand-in's fault knobs). */
  public ChildSpec withEnv(Map<String, String> newEnv) {
    return new ChildSpec(argv, newEnv, workDir, tmpDir);
  }

  /** A copy with {@code extra} added to (or replacing in) the environment. */
  public ChildSpec withExtraEnv(Map<String, String> extra) {
    Map<String, String> merged = new TreeMap<>(env);
    merged.putAll(extra);
    return withEnv(merged);
  }

  @Override
  public String toString() {
    return "ChildSpec[argv=" + argv + ", env names=" + new TreeMap<>(env).keySet() + ", workDir=" + workDir
        + ", tmpDir=" + tmpDir + "]";
  }
}
