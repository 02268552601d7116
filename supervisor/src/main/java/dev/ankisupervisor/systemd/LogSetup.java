package dev.ankisupervisor.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * Configures Logback in code, found by Logback through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}): one console appender on
 * stdout with the {@link JournalAwareLayout}, the root level from {@code ANKI_SUPERVISOR_LOG_LEVEL}
 * (default INFO), and Logback's own status messages silenced. Doing it in code spares every start
 * Logback's XML configuration machinery (an XML parser and some 400 classes).
 *
 * <p>Threading: Logback calls {@link #configure} once, on the thread that first asks for a logger.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** The environment variable naming the root level (TRACE, DEBUG, INFO, WARN, ERROR, OFF). */
  public static final String LEVEL_VARIABLE = "ANKI_SUPERVISOR_LOG_LEVEL";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    context.getStatusManager().add(new NopStatusListener());
    JournalAwareLayout layout = new JournalAwareLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder);
    stdout.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv(LEVEL_VARIABLE), Level.INFO));
    root.addAppender(stdout);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
