package dev.ankisupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No fixed sleep in a test ({@code docs/testing.md}): a test waits for an event (Awaitility on a
 * condition, a log line, a file, a status field) or runs on fake time ({@code testing/FakeTime},
 * {@code FakeSleeper}). A sleep is a guess of how long something takes: too short fails on a loaded
 * machine, too long costs every build, and "nothing happened for a while" proves little unless an
 * event shows the while has passed. The files in {@link #MAY_SLEEP} may, each for its reason;
 * {@code bench/} measures real time and is not a test.
 */
class TestWaitsTest {
  /** Every module's tests (paths from the repository root, the tests' working directory). */
  private static final List<Path> TESTS =
      List.of(Path.of("supervisor/src/test/java/dev/ankisupervisor"), Path.of("standin/src/test/java/dev/ankisupervisor"));
  private static final Pattern FIXED_WAIT =
      Pattern.compile("Thread\\.sleep\\(|TimeUnit\\.\\w+\\.sleep\\(|\\.during\\(|\\.pollDelay\\(");

  private static final Map<String, String> MAY_SLEEP = Map.of(
      "commands/IdleJavaMain.java", "a child process that sleeps on purpose, for tests to find and stop",
      "testing/StandInAnkiProcess.java", "the poll interval of its bounded, named waits (waitForOutput, waitForApi, waitForReady)",
      "deploy/SystemdContainer.java", "the poll interval of its bounded, named waits (awaitBooted, awaitLeader)");

  @Test
  void noTestWaitsAFixedTime() throws IOException {
    assertThat(filesMatching()).as("files with a fixed wait; wait for an event instead (docs/testing.md)")
        .allMatch(MAY_SLEEP::containsKey);
  }

  @Test
  void everyExceptionStillSleeps() throws IOException {
    assertThat(filesMatching()).as("an exception that no longer sleeps is taken off the list")
        .containsAll(MAY_SLEEP.keySet());
  }

  private static List<String> filesMatching() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path tests : TESTS) {
      try (Stream<Path> files = Files.walk(tests)) {
        files.filter(p -> p.toString().endsWith(".java"))
            .filter(p -> !tests.relativize(p).startsWith("bench"))
            .filter(p -> FIXED_WAIT.matcher(read(p)).find())
            .map(p -> tests.relativize(p).toString())
            .forEach(found::add);
      }
    }
    return found.stream().sorted().toList();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
