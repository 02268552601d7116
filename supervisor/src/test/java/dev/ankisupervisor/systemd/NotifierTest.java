package dev.ankisupervisor.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {
  @TempDir Path dir;

  @Test
  void sendsReadyStatusAndStoppingInOrderToAPathSocket() throws Exception {
    try (NotifyListener systemd = new NotifyListener(dir.resolve("notify").toString());
         Notifier notifier = Notifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.socketName()))) {
      assertThat(notifier.isEnabled()).isTrue();
      notifier.ready("ready: AnkiConnect at http://100.64.0.1:8765/");
      notifier.status("syncing");
      notifier.stopping("stopping Anki");
      await().atMost(Duration.ofSeconds(10)).until(() -> systemd.messages().size() == 3);
      assertThat(systemd.assignments()).containsExactly("READY=1", "STATUS=ready: AnkiConnect at http://100.64.0.1:8765/",
          "STATUS=syncing", "STOPPING=1", "STATUS=stopping Anki");
    }
  }

  @Test
  void reachesAnAbstractSocket() throws Exception {
    String name = "@anki-supervisor-test-" + UUID.randomUUID();
    try (NotifyListener systemd = new NotifyListener(name);
         Notifier notifier = Notifier.to(name)) {
      notifier.watchdog();
      notifier.extendTimeout(Duration.ofSeconds(15));
      notifier.mainPid(42);
      await().atMost(Duration.ofSeconds(10)).until(() -> systemd.messages().size() == 3);
      assertThat(systemd.messages()).containsExactly("WATCHDOG=1", "EXTEND_TIMEOUT_USEC=15000000", "MAINPID=42");
    }
  }

  @Test
  void statusLinesStayOnOneLine() throws Exception {
    try (NotifyListener systemd = new NotifyListener(dir.resolve("n").toString());
         Notifier notifier = Notifier.to(systemd.socketName())) {
      notifier.status("two\nlines");
      await().atMost(Duration.ofSeconds(10)).until(() -> systemd.messages().size() == 1);
      assertThat(systemd.messages()).containsExactly("STATUS=two lines");
    }
  }

  @Test
  void isANoOpWithoutNotifySocket() {
    Notifier notifier = Notifier.fromEnvironment(Map.of());
    assertThat(notifier.isEnabled()).isFalse();
    notifier.ready("nobody hears this");
  }

  @Test
  void aVanishedSocketIsLoggedNotThrown() {
    try (Notifier notifier = Notifier.to(dir.resolve("nobody-listens").toString())) {
      notifier.ready("lost");
      notifier.status("lost too");
    }
  }

  @Test
  void aNameTooLongForSockaddrUnIsLoggedAndDisabledNotThrown() {
    assertThat(Notifier.to("/" + "x".repeat(120)).isEnabled()).isFalse();
  }

  @Test
  void relativeSocketPathIsRefusedWithTheRule() {
    assertThatThrownBy(() -> Notifier.to("relative/sock")).hasMessageContaining("absolute path or start with '@'");
  }

  @Test
  void watchdogPingsAtHalfTheTimeoutOnlyForUs() {
    assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "30000000"), 7)).hasValue(Duration.ofSeconds(15));
    assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 7))
        .hasValue(Duration.ofSeconds(15));
    assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "8"), 7)).isEmpty();
    assertThat(Watchdog.pingInterval(Map.of(), 7)).isEmpty();
    assertThat(Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "0"), 7)).isEmpty();
  }
}
