package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What {@code jcmd} (beside this JVM's {@code java}) says about a supervisor JVM: its Native Memory
 * Tracking summary (the JVM must run with {@code -XX:NativeMemoryTracking=summary}) and how many
 * classes it has loaded, from its performance counters ({@code java.cls.loadedClasses}, and
 * {@code sun.cls.sharedLoadedClasses}: those mapped from a class-data archive).
 *
 * <p>Threading: stateless; the driver thread.
 */
final class Jcmd {
  private static final String JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();

  private Jcmd() {}

  /** Writes the NMT summary to {@code file} and prints its totals and biggest parts. */
  static void nativeMemory(long pid, Path file, String when) throws IOException, InterruptedException {
    Optional<String> text = run(pid, "VM.native_memory", "summary");
    if (text.isEmpty()) {
      System.out.println("NMT " + when + ": jcmd gave nothing (is " + JCMD + " there?)");
      return;
    }
    Files.writeString(file, text.get());
    System.out.println("NMT summary " + when + " (" + file + "):");
    text.get().lines().filter(l -> l.startsWith("Total") || l.matches("^-\\s+\\S.*\\(reserved=.*")
        || l.contains("(classes #") || l.contains("(thread #")).forEach(l -> System.out.println("  " + l.strip()));
  }

  /** "N (M mapped from the class-data archives, K read from class files)", or empty when jcmd cannot tell. */
  static Optional<String> classCounts(long pid) throws IOException, InterruptedException {
    Optional<String> text = run(pid, "PerfCounter.print");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> counters = new java.util.HashMap<>();
    text.get().lines().map(l -> l.split("=", 2)).filter(kv -> kv.length == 2)
        .forEach(kv -> counters.put(kv[0].strip(), kv[1].strip()));
    String loaded = counters.get("java.cls.loadedClasses");
    String shared = counters.get("java.cls.sharedLoadedClasses");
    if (loaded == null || shared == null) {
      return Optional.empty();
    }
    // java.cls.loadedClasses counts the classes loaded from class files only; the shared ones come on top.
    long fromFiles = Long.parseLong(loaded);
    long fromArchives = Long.parseLong(shared);
    return Optional.of((fromFiles + fromArchives) + " (" + fromArchives + " mapped from the class-data archives, "
        + fromFiles + " read from class files)");
  }

  private static Optional<String> run(long pid, String... command) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(JCMD, Long.toString(pid)));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return Optional.empty();
    }
    return Optional.of(out);
  }
}
