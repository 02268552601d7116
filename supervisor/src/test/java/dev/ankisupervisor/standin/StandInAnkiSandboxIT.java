package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QtWebEngine and root (C9), played: the zygote's refusal, its switches, and Qt's start-up lines
 * compared with the real ones captured from Debian 12's PyQt6 6.4 ({@code supervisor/src/test/resources/qt/}).
 */
class StandInAnkiSandboxIT extends StandInRuns {
  private static final String ZYGOTE_LINE = "^\\[\\d+:\\d+:\\d{4}/\\d{6}\\.\\d{6}:ERROR:zygote_host_impl_linux\\.cc\\(90\\)\\]"
      + " Running as root without --no-sandbox is not supported\\. See https://crbug\\.com/638180\\.$";

  private static void assumeRoot() {
    assumeTrue(StandInAnkiProcess.isRoot(), "C9's refusal happens only as root; these tests run as another user");
  }

  @Test
  void asRootWithoutNoSandboxPrintsTheZygoteLineAndExitsOneBeforeAnkiConnectBinds() throws Exception {
    assumeRoot();
    StandInAnkiProcess anki = start(seeded("server").env("QTWEBENGINE_DISABLE_SANDBOX", null));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(1);
    assertThat(anki.output()).anyMatch(l -> l.matches(ZYGOTE_LINE));
    assertThat(anki.outputText()).doesNotContain("AnkiConnect listening").doesNotContain("ready: profile");
    assertThat(portOpen()).isFalse();
  }

  @Test
  void asRootNoSandboxFlagLetsAnkiStart() throws Exception {
    assumeRoot();
    StandInAnkiProcess anki = start(seeded("server").env("QTWEBENGINE_DISABLE_SANDBOX", null)
        .env("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox"));
    anki.waitForReady(WAIT);
    assertThat(anki.output()).noneMatch(l -> l.matches(ZYGOTE_LINE)).contains("  *  no-sandbox  ");
  }

  @Test
  void asRootTheDisableSandboxVariableWithAnyValueLetsAnkiStart() throws Exception {
    assumeRoot();
    // Qt reads only whether the variable is set (seen with Debian's 6.4: "0" disables it too).
    StandInAnkiProcess anki = start(seeded("server").env("QTWEBENGINE_DISABLE_SANDBOX", "0"));
    anki.waitForReady(WAIT);
    assertThat(anki.output()).contains("Sandboxing disabled by user.");
  }

  @Test
  void qtStartupBlockIsTheRealOne() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("QTWEBENGINE_DISABLE_SANDBOX", null)
        .env("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox"));
    anki.waitForReady(WAIT);
    List<String> real = Files.readAllLines(Path.of("supervisor/src/test/resources/qt/root-with-no-sandbox.stderr"));
    List<String> played = anki.output().stream().filter(l -> !l.startsWith("[stand-in]")).toList();
    assertThat(block(played)).isEqualTo(block(real)).hasSizeGreaterThan(20);
  }

  @Test
  void qtWarnsAboutAMissingOrOpenRuntimeFolderOnly() throws Exception {
    Path open = Files.createDirectories(base.resolve("runtime-open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tmp = Files.createDirectories(base.resolve("tmp"));
    StandInAnkiProcess unset = start(seeded("server").tmpDir(tmp));
    unset.waitForReady(WAIT);
    assertThat(unset.output()).contains("QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '" + tmp + "/runtime-"
        + System.getProperty("user.name") + "'");
    unset.close();
    StandInAnkiProcess wrong = start(seeded("server").env("XDG_RUNTIME_DIR", open.toString()));
    wrong.waitForReady(WAIT);
    assertThat(wrong.output()).contains("QStandardPaths: wrong permissions on runtime directory " + open
        + ", 0755 instead of 0700");
    wrong.close();
    Path own = Files.createDirectories(base.resolve("runtime-own"));
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
    StandInAnkiProcess ok = start(seeded("server").env("XDG_RUNTIME_DIR", own.toString()));
    ok.waitForReady(WAIT);
    assertThat(ok.output()).noneMatch(l -> l.startsWith("QStandardPaths:"));
  }

  /** From {@code qt.webenginecontext:} to the line after "No suitable graphics backend found". */
  private static List<String> block(List<String> lines) {
    int from = lines.indexOf("qt.webenginecontext: ");
    int to = lines.indexOf("No suitable graphics backend found");
    assertThat(from).as("qt.webenginecontext in %s", lines).isNotNegative();
    assertThat(to).as("the graphics line in %s", lines).isGreaterThan(from);
    return lines.subList(from, to + 2);
  }
}
