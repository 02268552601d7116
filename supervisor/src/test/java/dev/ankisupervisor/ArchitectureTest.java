package dev.ankisupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package layout a picture of the architecture: dependencies point one way,
 * {@code commands -> wiring -> watch -> leaves -> {ankiconnect, config, files, model, os}} (commands may
 * also call {@code watch}, {@code doctor} or a leaf directly); leaves never import each other;
 * {@code os} (processes, /proc, signals, time) and {@code model} (the state and outcome names the status
 * file, metrics and log share) sit at the very bottom and import nothing of ours ({@code files} may use
 * {@code os}: a pidfile names a process by pid and start time).
 * The stand-in is not checked here: it is a Maven module of its own ({@code standin/}) that depends
 * on nothing of the supervisor, and the supervisor takes it at runtime scope only, so the compiler
 * keeps that wall both ways (docs/testing.md); the demo starts it as a process, by class name.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("supervisor/src/main/java/dev/ankisupervisor");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?dev\\.ankisupervisor\\.(\\w+)", Pattern.MULTILINE);
  private static final Pattern FQN = Pattern.compile("\\bdev\\.ankisupervisor\\.(\\w+)\\.");

  private static final Set<String> LEAVES =
      Set.of("prepare", "launch", "sync", "status", "systemd", "backup", "check");
  private static final Set<String> FOUNDATION = Set.of("config", "ankiconnect", "files", "model", "os", "statusfile");

  /** Which packages each package may import (besides itself). */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("commands", union(Set.of("wiring", "watch", "doctor"), LEAVES, FOUNDATION)),
      // the composition root of run and demo, and the start-up warm-ups
      Map.entry("wiring", union(Set.of("watch"), LEAVES, FOUNDATION)),
      Map.entry("doctor", union(LEAVES, FOUNDATION)),
      Map.entry("watch", union(LEAVES, FOUNDATION)),
      Map.entry("prepare", FOUNDATION),
      Map.entry("launch", FOUNDATION),
      Map.entry("sync", FOUNDATION),
      Map.entry("status", FOUNDATION),
      Map.entry("systemd", FOUNDATION),
      Map.entry("backup", FOUNDATION),
      Map.entry("check", FOUNDATION),
      Map.entry("ankiconnect", Set.of("config")),
      // config reads secret files through files' capped reader (one secret-file reader, SecretFile).
      Map.entry("config", Set.of("files")),
      // a pidfile names a process by pid and start time (os.ProcessIdentity).
      Map.entry("files", Set.of("os")),
      // the status file's schema, its one reader and staleness rule sit below status, check and doctor,
      // which all read the file; a leaf cannot import another leaf, so it cannot live in status.
      Map.entry("statusfile", Set.of("ankiconnect", "config", "files", "model", "os")),
      Map.entry("model", Set.of()),
      Map.entry("os", Set.of()));

  @Test
  void dependenciesPointOneWay() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(file).getName(0).toString();
        if (pkg.endsWith(".java")) {
          continue;
        }
        assertThat(ALLOWED).as("package %s must be listed in ArchitectureTest", pkg).containsKey(pkg);
        String text = Files.readString(file);
        for (Pattern p : List.of(IMPORT, FQN)) {
          Matcher m = p.matcher(text);
          while (m.find()) {
            String target = m.group(1);
            // The supervisor's own packages only: the demo names the stand-in's class in a string to start it.
            if (ALLOWED.containsKey(target) && !target.equals(pkg) && !ALLOWED.get(pkg).contains(target)) {
              violations.add(file + ": " + pkg + " -> " + target);
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** The compiler keeps the stand-in apart only as long as the poms say so (see the class comment). */
  @Test
  void theSupervisorTakesTheStandInAtRuntimeOnlyAndNeverTheOtherWay() throws IOException {
    String supervisor = Files.readString(Path.of("supervisor/pom.xml"));
    assertThat(supervisor).containsOnlyOnce("<artifactId>anki-standin</artifactId>")
        .containsPattern("<artifactId>anki-standin</artifactId>\\s*<scope>runtime</scope>");
    assertThat(Files.readString(Path.of("standin/pom.xml"))).doesNotContain("<artifactId>anki-supervisor</artifactId>");
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    return Stream.of(sets).flatMap(Set::stream).collect(java.util.stream.Collectors.toSet());
  }
}
