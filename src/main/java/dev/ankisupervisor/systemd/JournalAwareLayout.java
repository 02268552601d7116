package dev.ankisupervisor.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.util.Map;

/**
 * The Logback layout of every log line (issue 3, step 13). Chosen once at start: when stdout is the
 * journal ({@link JournalStream}), each line, stack-trace lines included, starts with its syslog
 * priority ({@code <3>} error, {@code <4>} warning, {@code <6>} info, {@code <7>} debug) and carries
 * no timestamp (journald adds its own); otherwise each event starts with an ISO timestamp.
 * Set {@code ANKI_SUPERVISOR_LOG_FORMAT=journal|plain} to force one.
 *
 * <p>Threading: Logback calls {@link #doLayout} from any logging thread; the layout is immutable
 * once started.
 */
public final class JournalAwareLayout extends LayoutBase<ILoggingEvent> {
  private static final String BODY = "[%thread] %logger{20}: %msg%n%ex";
  private static final String TIMESTAMP = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level ";

  /** Formats one event without the priority prefix. */
  private PatternLayout pattern;
  /** Whether lines get {@code <N>} prefixes instead of timestamps. */
  private boolean journal;

  @Override
  public void start() {
    startWith(chooseJournal(System.getenv()));
  }

  /** Starts in the given mode (tests; {@link #start()} decides from the environment). */
  void startWith(boolean journalMode) {
    journal = journalMode;
    pattern = new PatternLayout();
    pattern.setContext(getContext());
    pattern.setPattern(journal ? BODY : TIMESTAMP + BODY);
    pattern.start();
    super.start();
  }

  static boolean chooseJournal(Map<String, String> env) {
    String forced = env.getOrDefault("ANKI_SUPERVISOR_LOG_FORMAT", "");
    if (forced.equalsIgnoreCase("journal")) {
      return true;
    }
    if (forced.equalsIgnoreCase("plain")) {
      return false;
    }
    return JournalStream.isStdoutJournal(env);
  }

  /** Whether this layout writes journald priority prefixes. */
  public boolean isJournal() {
    return journal;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    String text = pattern.doLayout(event);
    if (!journal) {
      return text;
    }
    String prefix = "<" + priorityOf(event.getLevel()) + ">";
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append(prefix).append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** The syslog priority of a Logback level (sd-daemon(3)). */
  static int priorityOf(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> 3;
      case Level.WARN_INT -> 4;
      case Level.INFO_INT -> 6;
      default -> 7;
    };
  }
}
