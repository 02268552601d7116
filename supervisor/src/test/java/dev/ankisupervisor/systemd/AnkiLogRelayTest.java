package dev.ankisupervisor.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnkiLogRelayTest {
  @Test
  void tracebackLinesAreErrorsUntilTheExceptionLine() {
    AnkiLogRelay relay = new AnkiLogRelay();
    List<String> lines = List.of(
        "Starting Anki 25.09.2...",
        "Traceback (most recent call last):",
        "  File \"aqt/main.py\", line 1, in <module>",
        "    main()",
        "ValueError: boom",
        "Loaded add-ons");
    assertThat(lines.stream().map(relay::levelOf).map(Enum::name))
        .containsExactly("INFO", "ERROR", "ERROR", "ERROR", "ERROR", "INFO");
  }

  @Test
  void qtFatalAndErrorLinesAreErrorsAndWarningsWarnings() {
    AnkiLogRelay relay = new AnkiLogRelay();
    assertThat(relay.levelOf("qt.qpa.plugin: Could not load the Qt platform plugin \"xcb\"").name()).isEqualTo("ERROR");
    assertThat(relay.levelOf("Qt fatal: EGL failure").name()).isEqualTo("ERROR");
    assertThat(relay.levelOf("Error: collection locked").name()).isEqualTo("ERROR");
    assertThat(relay.levelOf("RuntimeException in hook").name()).isEqualTo("ERROR");
    assertThat(relay.levelOf("Warning: deprecated").name()).isEqualTo("WARN");
    assertThat(relay.levelOf("[stand-in] ready: profile server open").name()).isEqualTo("INFO");
  }

  /** Real stderr of Debian 12's PyQt6 6.4 QtWebEngine, offscreen with --disable-gpu (supervisor/src/test/resources/qt/). */
  private static List<String> realQt(String name) throws Exception {
    return Files.readAllLines(Path.of("supervisor/src/test/resources/qt", name));
  }

  @Test
  void qtWebEngineStartupBlockIsInformationNotAnError() throws Exception {
    AnkiLogRelay relay = new AnkiLogRelay();
    List<String> lines = realQt("root-with-no-sandbox.stderr");
    assertThat(lines).anyMatch(l -> l.startsWith("qt.webenginecontext:")).anyMatch(l -> l.contains("no-sandbox"));
    // The XDG_RUNTIME_DIR complaint is Qt's warning; everything else of a healthy start is information (C9).
    assertThat(lines.stream().filter(l -> !l.startsWith("QStandardPaths:")).map(relay::levelOf).map(Enum::name))
        .containsOnly("INFO");
    assertThat(new AnkiLogRelay().levelOf(lines.get(0)).name()).isEqualTo("WARN");
  }

  @Test
  void zygoteRefusalAfterTheBlockIsAnError() throws Exception {
    AnkiLogRelay relay = new AnkiLogRelay();
    List<String> lines = realQt("root-without-no-sandbox.stderr");
    List<String> levels = lines.stream().map(relay::levelOf).map(Enum::name).toList();
    assertThat(lines.get(lines.size() - 1)).contains("Running as root without --no-sandbox is not supported");
    assertThat(levels.get(levels.size() - 1)).isEqualTo("ERROR");
    assertThat(levels.subList(1, levels.size() - 1)).containsOnly("INFO");
  }

  @Test
  void aBlockWordThatLooksLikeAnErrorStaysInformation() {
    AnkiLogRelay relay = new AnkiLogRelay();
    relay.levelOf("qt.webenginecontext: ");
    assertThat(relay.levelOf("  *  disable-features ErrorPageAutoReload,AbortSignal ").name()).isEqualTo("INFO");
    assertThat(relay.levelOf("GL Type: disabled").name()).isEqualTo("INFO");
    assertThat(relay.levelOf("Error: not a block line").name()).isEqualTo("ERROR");
    assertThat(relay.levelOf("  *  back outside the block: error").name()).isEqualTo("ERROR");
  }

  @Test
  void journaldPrioritiesFollowSdDaemon() {
    assertThat(JournalAwareLayout.priorityOf(Level.ERROR)).isEqualTo(3);
    assertThat(JournalAwareLayout.priorityOf(Level.WARN)).isEqualTo(4);
    assertThat(JournalAwareLayout.priorityOf(Level.INFO)).isEqualTo(6);
    assertThat(JournalAwareLayout.priorityOf(Level.DEBUG)).isEqualTo(7);
  }

  @Test
  void journalStreamMatchesOnlyTheSameDeviceAndInode(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("out"));
    Path other = Files.createFile(dir.resolve("other"));
    String devIno = Files.getAttribute(file, "unix:dev") + ":" + Files.getAttribute(file, "unix:ino");
    assertThat(JournalStream.matches(devIno, file)).isTrue();
    assertThat(JournalStream.matches(devIno, other)).isFalse();
    assertThat(JournalStream.matches("garbage", file)).isFalse();
    assertThat(JournalStream.matches(null, file)).isFalse();
  }
}
