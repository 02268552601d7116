package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.AnkiSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnkiChildSpecsTest {
  private static final Path TMP = Path.of("/run/anki-supervisor/tmp-1");

  private static Map<String, String> gnomeSessionEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin");
    env.put("HOME", "/var/lib/anki");
    env.put("DISPLAY", ":0");
    env.put("WAYLAND_DISPLAY", "wayland-0");
    env.put("XDG_CURRENT_DESKTOP", "GNOME");
    env.put("DESKTOP_SESSION", "gnome");
    env.put("NOTIFY_SOCKET", "/run/systemd/notify");
    env.put("WATCHDOG_USEC", "30000000");
    env.put("WATCHDOG_PID", "1");
    env.put("LISTEN_FDS", "1");
    env.put("LISTEN_PID", "1");
    env.put("LISTEN_FDNAMES", "x");
    env.put("ANKI_SUPERVISOR_STATE_DIR", "/var/lib/anki");
    env.put("QT_QPA_PLATFORM", "xcb");
    env.put("TMPDIR", "/tmp");
    return env;
  }

  @Test
  void argvIsTheCommandWithBaseProfileAndLanguageAndNothingElse() {
    AnkiSettings anki = new AnkiSettings(Path.of("/var/lib/anki"), "server", "de_DE",
        List.of("python3", "-c", "import aqt,sys; sys.argv[0]='Anki'; aqt.run()"), "2055492159");

    ChildSpec spec = AnkiChildSpecs.forAnki(anki, gnomeSessionEnv(), TMP, false);

    assertThat(spec.argv()).containsExactly("python3", "-c", "import aqt,sys; sys.argv[0]='Anki'; aqt.run()",
        "-b", "/var/lib/anki", "-p", "server", "-l", "de_DE");
    // C4: never Qt's or Chromium's flags on Anki's command line
    assertThat(spec.argv()).noneMatch(a -> a.contains("disable-gpu") || a.equals("-platform"));
    assertThat(spec.workDir()).isEqualTo(Path.of("/var/lib/anki"));
    assertThat(spec.tmpDir()).isEqualTo(TMP);
  }

  @Test
  void noLanguageMeansNoLFlag() {
    AnkiSettings anki = new AnkiSettings(Path.of("/b"), "server", "", List.of("anki"), "2055492159");

    assertThat(AnkiChildSpecs.forAnki(anki, Map.of(), TMP, false).argv()).containsExactly("anki", "-b", "/b", "-p", "server");
  }

  @Test
  void environmentIsScrubbedAndOffscreenWithAPrivateTmpdir() {
    AnkiSettings anki = new AnkiSettings(Path.of("/b"), "server", "", List.of("anki"), "2055492159");
    Map<String, String> parent = gnomeSessionEnv();
    parent.put("QTWEBENGINE_CHROMIUM_FLAGS", "--lang=de");
    parent.put("XDG_RUNTIME_DIR", "/run/user/1000");

    Map<String, String> env = AnkiChildSpecs.forAnki(anki, parent, TMP, false).env();

    // Not root: nothing about the sandbox is added (C9); the runtime folder is the private one.
    assertThat(env).containsOnly(
        Map.entry("PATH", "/usr/bin"),
        Map.entry("HOME", "/var/lib/anki"),
        Map.entry("QT_QPA_PLATFORM", "offscreen"),
        Map.entry("QTWEBENGINE_CHROMIUM_FLAGS", "--lang=de --disable-gpu"),
        Map.entry("TMPDIR", TMP.toString()),
        Map.entry("XDG_RUNTIME_DIR", TMP.toString()),
        Map.entry("LOGNAME", "anki"));
  }

  /** Real Anki 25.09.2: {@code import aqt} fails with no login-name variable and no passwd entry (C5). */
  @Test
  void aLoginNameIsGivenOnlyWhenTheParentHasNone() {
    AnkiSettings anki = new AnkiSettings(Path.of("/b"), "server", "", List.of("anki"), "2055492159");

    assertThat(AnkiChildSpecs.forAnki(anki, Map.of(), TMP, false).env()).containsEntry("LOGNAME", "anki");
    for (String name : List.of("LOGNAME", "USER", "LNAME", "USERNAME")) {
      assertThat(AnkiChildSpecs.forAnki(anki, Map.of(name, "bob"), TMP, false).env())
          .containsEntry(name, "bob").hasSize(5);
    }
  }

  @Test
  void asRootNoSandboxIsAppendedOnceAfterDisableGpu() {
    AnkiSettings anki = new AnkiSettings(Path.of("/b"), "server", "", List.of("anki"), "2055492159");

    assertThat(AnkiChildSpecs.forAnki(anki, Map.of(), TMP, true).env())
        .containsEntry("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox");
    assertThat(AnkiChildSpecs.forAnki(anki, Map.of("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --x"), TMP, true).env())
        .containsEntry("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --x --disable-gpu");
  }

  @Test
  void specsAreValidatedAndImmutable() {
    assertThatThrownBy(() -> new ChildSpec(List.of(), Map.of(), TMP, TMP)).isInstanceOf(IllegalArgumentException.class);
    ChildSpec spec = new ChildSpec(List.of("a"), Map.of("SECRET", "v"), TMP, TMP);
    assertThatThrownBy(() -> spec.argv().add("b")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(spec.toString()).contains("SECRET").doesNotContain("=v");
    assertThat(spec.withExtraEnv(Map.of("X", "1")).env()).containsEntry("X", "1").containsEntry("SECRET", "v");
  }
}
