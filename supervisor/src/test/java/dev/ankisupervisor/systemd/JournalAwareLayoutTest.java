package dev.ankisupervisor.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalAwareLayoutTest {
  private final LoggerContext context = new LoggerContext();

  private String format(boolean journal, Level level, String message, Throwable t) {
    return format(journal, "anki", level, message, t);
  }

  private String format(boolean journal, String logger, Level level, String message, Throwable t) {
    JournalAwareLayout layout = new JournalAwareLayout();
    layout.setContext(context);
    layout.startWith(journal);
    LoggingEvent event = new LoggingEvent("test", context.getLogger(logger), level, message, t, null);
    return layout.doLayout(event);
  }

  @Test
  void journalLinesOfOurOwnLoggersAreTheMessageAloneWithoutThreadOrClass() {
    assertThat(format(true, "dev.ankisupervisor.watch.Lifecycle", Level.INFO, "state starting -> ready", null))
        .isEqualTo("<6>state starting -> ready\n");
    assertThat(format(false, "dev.ankisupervisor.watch.Lifecycle", Level.INFO, "state starting -> ready", null))
        .contains("d.a.watch.Lifecycle: state starting -> ready");
  }

  @Test
  void journalLinesCarryThePriorityOnEveryLineAndNoTimestamp() {
    String text = format(true, Level.ERROR, "Traceback (most recent call last):", new IllegalStateException("boom"));
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).startsWith("<3>").contains("anki: Traceback");
    assertThat(lines).hasSizeGreaterThan(2).allSatisfy(l -> assertThat(l).startsWith("<3>"));
    assertThat(text).doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT");
    assertThat(format(true, Level.INFO, "hello", null)).startsWith("<6>").endsWith("anki: hello\n");
    assertThat(format(true, Level.WARN, "careful", null)).startsWith("<4>");
  }

  @Test
  void plainLinesStartWithATimestamp() {
    assertThat(format(false, Level.INFO, "hello", null)).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.* INFO .*anki: hello\n");
  }

  @Test
  void theFormatCanBeForced() {
    assertThat(JournalAwareLayout.chooseJournal(Map.of("ANKI_SUPERVISOR_LOG_FORMAT", "journal"))).isTrue();
    assertThat(JournalAwareLayout.chooseJournal(Map.of("ANKI_SUPERVISOR_LOG_FORMAT", "plain",
        "JOURNAL_STREAM", "1:1"))).isFalse();
  }
}
