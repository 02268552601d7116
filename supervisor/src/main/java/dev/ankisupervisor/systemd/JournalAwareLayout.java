package dev.ankisupervisor.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Logback layout of every log line. Chosen once at start: when stdout is the
 * journal ({@link JournalStream}), each line, stack-trace lines included, starts with its syslog
 * priority ({@code <3>} error, {@code <4>} warning, {@code <6>} info, {@code <7>} debug) and carries
 * no timestamp (journald adds its own); otherwise each event starts with an ISO timestamp.
 * Set {@code ANKI_SUPERVISOR_LOG_FORMAT=journal|plain} to force one. In the journal a line is the
 * operator's: the message alone for our own loggers (journald records the unit, pid and time), and
 * {@code name: message} for the others (Anki's relayed lines read {@code anki: ...}). A plain line
 * reads {@code [thread] logger: message} (the logger shortened to about 20 characters, as Logback's
 * {@code %logger{20}}), for a developer at a terminal. Either is followed by the stack trace of an
 * exception; it is put together here rather than by a Logback pattern, which would need Logback's
 * pattern parser at every start.
 *
 * <p>Threading: Logback calls {@link #doLayout} from any logging thread; the layout is immutable
 * once started.
 */
public final class JournalAwareLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
  private static final TargetLengthBasedClassNameAbbreviator ABBREVIATOR = new TargetLengthBasedClassNameAbbreviator(20);
  /** Our own loggers' prefix: in the journal their lines are the message alone. */
  private static final String OWN_LOGGERS = "dev.ankisupervisor.";

  /** Logger names as printed, by full name (a few dozen loggers). */
  private final Map<String, String> shortNames = new ConcurrentHashMap<>();
  /** Whether lines get {@code <N>} prefixes instead of timestamps. */
  private boolean journal;

  @Override
  public void start() {
    startWith(chooseJournal(System.getenv()));
  }

  /** Starts in the given mode (tests; {@link #start()} decides from the environment). */
  void startWith(boolean journalMode) {
    journal = journalMode;
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
    String text = format(event);
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

  /** One event without the priority prefix: timestamp and level (plain only), thread, logger, message, stack trace. */
  private String format(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(128);
    if (!journal) {
      TIMESTAMP.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), out);
      String level = event.getLevel().toString();
      out.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
    }
    if (!journal) {
      out.append('[').append(event.getThreadName()).append("] ")
          .append(shortNames.computeIfAbsent(event.getLoggerName(), ABBREVIATOR::abbreviate)).append(": ");
    } else if (!event.getLoggerName().startsWith(OWN_LOGGERS)) {
      out.append(event.getLoggerName()).append(": ");
    }
    out.append(event.getFormattedMessage()).append('\n');
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      out.append(ThrowableProxyUtil.asString(thrown));
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
