package dev.ankisupervisor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Anki 25.09.2 venv the real-Anki tests run ({@code bin/anki}, {@code bin/python} with the
 * {@code anki} library and its sync server): {@code ANKI_VENV}, else the cache folder
 * real-anki/make-env.sh fills. Missing: a failure under {@code CI=true} (CI makes it), else a skip.
 */
public final class RealAnkiVenv {
  public static final Path DEFAULT = Path.of("/var/cache/anki-supervisor/real-anki-25.9.2/venv");
  /**
   * The bound of every wait on real Anki or its server (ready, a sync, an exit): real Anki starts in
   * 1-3 s when idle; a dialog is a hang and must fail, never wait forever. {@code -Dreal.anki.bound=20s}
   * shortens it.
   */
  public static final Duration BOUND =
      Duration.parse("PT" + System.getProperty("real.anki.bound", "90s").toUpperCase());

  private final Path dir;

  private RealAnkiVenv(Path dir) {
    this.dir = dir;
  }

  /** The venv, or a skip (a failure under CI=true) saying why it is not usable. */
  public static RealAnkiVenv require() {
    String env = System.getenv("ANKI_VENV");
    Path dir = env != null && !env.isBlank() ? Path.of(env) : DEFAULT;
    RealAnkiVenv venv = new RealAnkiVenv(dir);
    if (Files.isExecutable(venv.anki()) && Files.isExecutable(venv.python())) {
      return venv;
    }
    String why = "no real Anki venv at " + dir + " (bin/anki and bin/python must be executable):"
        + " make it with real-anki/make-env.sh, or point ANKI_VENV at one";
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    // A skipped @BeforeAll shows as "Tests run: 0" in the build log; say why there too.
    System.err.println("real-Anki tests skipped: " + why);
    Assumptions.abort(why);
    throw new AssertionError(why);
  }

  public Path dir() {
    return dir;
  }

  /** The venv's {@code anki} script: Anki's entry point ({@code python -m aqt} has no {@code __main__}). */
  public Path anki() {
    return dir.resolve("bin").resolve("anki");
  }

  public Path python() {
    return dir.resolve("bin").resolve("python");
  }
}
