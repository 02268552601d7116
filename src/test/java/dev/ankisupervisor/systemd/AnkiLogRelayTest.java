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
